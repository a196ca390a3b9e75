// Child processes of the bench: servers pinned to core 0, wrk pinned to core 1, readiness, RSS, and cleanup.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { request } from 'node:http'

const children = new Set()
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL')
})
// Interrupted: exit through the handler above, so that no server or wrk is left running.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130))

/** Spawns `node script args…` pinned to one core; stdout lines go to onLine. */
export function spawnPinned(core, script, args, { nodeFlags = [], onLine, env } = {}) {
  const child = spawn('taskset', ['-c', String(core), process.execPath, ...nodeFlags, script, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  })
  children.add(child)
  child.once('exit', () => children.delete(child))
  let buffered = ''
  child.stdout.setEncoding('utf8')
  child.stdout.on('data', (chunk) => {
    buffered += chunk
    let nl
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl)
      buffered = buffered.slice(nl + 1)
      onLine?.(line)
    }
  })
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (chunk) => process.stderr.write(`  [${script.split('/').pop()}] ${chunk}`))
  return child
}

/** Resolves with the first stdout line that passes the test, or rejects after the timeout or on exit. */
export function startServer(core, script, args, test, options = {}) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start within 20 s`)), 20_000)
    const child = spawnPinned(core, script, args, {
      ...options,
      onLine: (line) => {
        if (test(line)) {
          clearTimeout(timer)
          resolve({ child, line })
        }
      },
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${script} exited with ${code} before it was ready`))
    })
  })
}

export function stop(child, timeoutMs = 8000) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

/** Resident set size of a process in MB (taskset execs node, so the pid is node's). */
export function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
  return kb / 1024
}

/** CPU seconds (user + system, all threads) a process has used so far. */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

export function httpStatus(url) {
  return new Promise((resolve) => {
    const req = request(url, { agent: false }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode))
    })
    req.on('error', () => resolve(0))
    req.setTimeout(1000, () => req.destroy())
    req.end()
  })
}

/** Runs wrk on core 1 with the bench's Lua script; resolves with its JSON summary. */
export function runWrk({ url, seconds, connections, bodiesFile, runId, luaFile }) {
  return new Promise((resolve, reject) => {
    const args = ['-c', String(1), 'wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '5s', '-s', luaFile, url]
    const child = spawn('taskset', args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, BENCH_BODIES: bodiesFile, BENCH_RUN: runId } })
    children.add(child)
    let out = ''
    let err = ''
    child.stdout.on('data', (c) => (out += c))
    child.stderr.on('data', (c) => (err += c))
    const killer = setTimeout(() => child.kill('SIGKILL'), (seconds + 20) * 1000)
    child.once('exit', (code) => {
      clearTimeout(killer)
      children.delete(child)
      const line = out.split('\n').find((l) => l.startsWith('BENCH_JSON '))
      if (!line) return reject(new Error(`wrk failed (${code}): ${err || out}`))
      const r = JSON.parse(line.slice('BENCH_JSON '.length))
      const errors = r.non2xx + r.connect + r.read + r.write + r.timeout
      resolve({ ...r, ok: r.requests - r.non2xx - r.timeout, errors, seconds: r.duration_us / 1e6, rate: (r.requests - r.non2xx - r.timeout) / (r.duration_us / 1e6) })
    })
  })
}
