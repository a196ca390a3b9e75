// Test helpers that run the real hookcat command line as a child process in a temporary folder with its own hookcat.yaml.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO = fileURLToPath(new URL('../../../', import.meta.url))
const MAIN_TS = join(REPO, 'src/cli/main.ts')
const TSX = import.meta.resolve('tsx')

/** Node arguments that run the CLI from source (as the tests and `npm run dev` would). */
export function sourceCommand(args: string[]): string[] {
  return ['--import', TSX, '--conditions=hookcat-src', MAIN_TS, ...args]
}

export interface RunResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** A fresh folder holding `yaml` as hookcat.yaml (when given). */
export function tempProject(yaml?: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'hookcat-cli-'))
  if (yaml !== undefined) writeFileSync(join(dir, 'hookcat.yaml'), yaml)
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env }
  // The test runner's own settings must not leak into the CLI under test.
  delete env.HOOKCAT_CONFIG
  delete env.HOOKCAT_STORAGE
  delete env.NODE_TEST_CONTEXT
  return { ...env, ...extra }
}

// Each CLI process compiles TypeScript as it starts; a few at a time keeps a busy machine from timing them out.
const MAX_RUNNING = 3
let running = 0
const waiting: Array<() => void> = []

async function slot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_RUNNING) await new Promise<void>((resolve) => waiting.push(resolve))
  running++
  try {
    return await work()
  } finally {
    running--
    waiting.shift()?.()
  }
}

/** Runs the CLI to completion (bounded by timeoutMs) and collects its output. */
export function runCli(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; node?: string[] }): Promise<RunResult> {
  return slot(() => {
    const child = spawn(process.execPath, options.node ?? sourceCommand(args), { cwd: options.cwd, env: childEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] })
    return collect(child, options.timeoutMs ?? 90_000)
  })
}

function collect(child: ChildProcess, timeoutMs: number): Promise<RunResult> {
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`CLI did not finish within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`))
    }, timeoutMs)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
  })
}

export interface ServeProcess {
  child: ChildProcess
  /** The base URL from the banner's "listening on" line. */
  url: string
  stdout(): string
  stderr(): string
  /** Resolves when stdout contains the text (bounded). */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>
  /** Sends SIGTERM and resolves with how the process ended. */
  stop(): Promise<RunResult>
}

/** Starts `hookcat serve` (or the given node arguments) and waits for its banner. */
export async function startServe(options: { cwd: string; args?: string[]; node?: string[]; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<ServeProcess> {
  const child = spawn(process.execPath, options.node ?? sourceCommand(['serve', ...(options.args ?? [])]), {
    cwd: options.cwd,
    env: childEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()))
  const exited = new Promise<RunResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout: out, stderr: err })))
  const waitFor = async (text: string | RegExp, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs
    while (!(typeof text === 'string' ? out.includes(text) : text.test(out))) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`hookcat exited (${child.exitCode ?? child.signalCode})\nstdout: ${out}\nstderr: ${err}`)
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(text)}\nstdout: ${out}\nstderr: ${err}`)
      await new Promise((r) => setTimeout(r, 50))
    }
  }
  try {
    await waitFor(/listening on (http:\/\/\S+)/, options.timeoutMs ?? 90_000)
  } catch (error) {
    child.kill('SIGKILL')
    throw error
  }
  const url = /listening on (http:\/\/\S+)/.exec(out)![1].replace('0.0.0.0', '127.0.0.1')
  return {
    child,
    url,
    stdout: () => out,
    stderr: () => err,
    waitFor,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
      const result = await exited
      clearTimeout(timer)
      return result
    },
  }
}

/** A TCP port that was free a moment ago (for configs that must name their port). */
export { freePort } from '../../../test/support/ports.js'

/** Runs the CLI in a fresh folder holding `yaml` as hookcat.yaml (none when undefined), then removes the folder. */
export async function runInProject(yaml: string | undefined, args: string[], env?: NodeJS.ProcessEnv): Promise<RunResult> {
  const project = tempProject(yaml)
  try {
    return await runCli(args, { cwd: project.dir, env })
  } finally {
    project.cleanup()
  }
}

/** CLI errors are one clear message, never a stack trace. */
export function assertNoStack(stderr: string): void {
  if (/\n\s+at /.test(stderr)) throw new Error(`stack trace on stderr:\n${stderr}`)
}
