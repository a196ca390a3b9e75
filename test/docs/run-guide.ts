// Runs every shell command of a guide, in order, in an empty project: the docs cannot drift from what hookcat does.
import assert from 'node:assert/strict'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { snippets } from './snippets.js'

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const SHELL = new Set(['bash', 'sh'])

import { freePort } from '../support/ports.js'

/** A user's project: package.json, hookcat (this checkout) and tsx in node_modules, and a `hookcat` command on PATH. */
function project(): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(join(tmpdir(), 'hookcat-docs-'))
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'my-bot', private: true, type: 'module' }))
  mkdirSync(join(dir, 'node_modules'))
  symlinkSync(repo, join(dir, 'node_modules', 'hookcat'), 'dir')
  symlinkSync(join(repo, 'node_modules', 'tsx'), join(dir, 'node_modules', 'tsx'), 'dir')
  const bin = join(dir, '.bin')
  mkdirSync(bin)
  const shim = join(bin, 'hookcat')
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" --import tsx --conditions=hookcat-src "${join(repo, 'src', 'cli', 'main.ts')}" "$@"\n`)
  chmodSync(shim, 0o755)
  const node = dirname(process.execPath)
  // Without the parent runner's NODE_TEST_CONTEXT, a `node --test` in a snippet reports in plain TAP.
  const env = { ...process.env, NODE_TEST_CONTEXT: undefined, PATH: `${bin}:${node}:${process.env.PATH}`, NODE_OPTIONS: '--conditions=hookcat-src', HOOKCAT_LOG_LEVEL: 'warn' }
  return { dir, env }
}

/** Runs the guide's commands; the *.test.ts beside this file call it, one file per guide so they run in parallel. */
export async function runGuide(guide: string): Promise<void> {
  {
    const blocks = snippets(join(repo, guide)).filter((s) => SHELL.has(s.lang))
    const runnable = blocks.filter((s) => !s.marker?.startsWith('skip'))
    assert.ok(runnable.length > 0, `${guide} has no command that runs`)
    const { dir, env } = project()
    const port = String(await freePort())
    const background: ChildProcess[] = []
    // Variables set by one block are seen by the next, as in one terminal.
    let exports = ''
    try {
      for (const block of runnable) {
        const code = block.code.replaceAll('8021', port)
        const where = `${guide}:${block.line}`
        if (block.marker === 'background') {
          const proc = spawn('bash', ['-c', `${exports}\nexec ${code}`], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] })
          let out = ''
          proc.stdout!.on('data', (d) => (out += d))
          proc.stderr!.on('data', (d) => (out += d))
          background.push(proc)
          let up = false
          for (let i = 0; i < 600 && !up && proc.exitCode === null; i++) {
            up = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false)
            if (!up) await new Promise((r) => setTimeout(r, 50))
          }
          assert.ok(up, `${where}: the server did not come up\n${out}`)
          continue
        }
        // The variables a block sets are written out and set again before the next block.
        const save = `for __v in $(compgen -v); do case " $__before " in *" $__v "*) ;; *) declare -p "$__v" ;; esac; done > "${dir}/.doc-vars"`
        const script = `__before="$(compgen -v | tr '\\n' ' ')"\n${exports}\n${code}\n${save}`
        const result = spawnSync('bash', ['-euo', 'pipefail', '-c', script], { cwd: dir, env, encoding: 'utf8', timeout: 180_000 })
        assert.equal(result.status, 0, `${where} failed:\n${code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`)
        if (block.marker?.startsWith('expect ')) assert.match(result.stdout, new RegExp(block.marker.slice('expect '.length)), `${where}: unexpected output`)
        exports = readFileSync(join(dir, '.doc-vars'), 'utf8')
      }
    } finally {
      for (const proc of background) {
        proc.kill('SIGTERM')
        if (proc.exitCode === null) await new Promise((r) => proc.once('exit', r))
      }
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
