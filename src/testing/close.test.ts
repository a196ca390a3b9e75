// close() leaves nothing behind: a process that used a test host exits by itself afterwards, and its temp folder is gone.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const child = fileURLToPath(new URL('./test-fixtures/close-child.ts', import.meta.url))

test('after close() the process has no open handles and no temporary files', async () => {
  const proc = spawn(process.execPath, ['--import', 'tsx', '--conditions=hookcat-src', child], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOOKCAT_LOG_LEVEL: 'silent' } })
  let out = ''
  let err = ''
  // A handle left open keeps the child alive: it is killed 20 s after it reported close() done (or after 110 s in
  // all, for a start that never ends), and the test fails on its exit signal.
  let killer = setTimeout(() => proc.kill('SIGKILL'), 110_000)
  proc.stdout.on('data', (d) => {
    out += d
    if (out.includes('dirLeft')) {
      clearTimeout(killer)
      killer = setTimeout(() => proc.kill('SIGKILL'), 20_000)
    }
  })
  proc.stderr.on('data', (d) => (err += d))
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => proc.on('exit', (c, s) => resolve([c, s])))
  clearTimeout(killer)
  assert.equal(signal, null, `the child did not exit by itself: ${err}`)
  assert.equal(code, 0, err)
  const report = JSON.parse(out.trim().split('\n').pop()!) as { dir: string; dirLeft: boolean }
  assert.equal(report.dirLeft, false)
  assert.equal(existsSync(report.dir), false)
})
