// A task survives a SIGKILL of its process as its policy says: retry resumes and completes it, fail marks it interrupted.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { createTestHost } from '../../testing/index.js'
import { failPlugin } from '../../../test/tasks/fail-plugin.js'

const child = fileURLToPath(new URL('../../../test/tasks/child-host.ts', import.meta.url))

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 40_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const value = await fn()
    if (value !== undefined) return value
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`timed out waiting for ${what}`)
}

test('tasks survive SIGKILL: retry policy resumes and completes, fail policy is interrupted', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookcat-tasks-'))
  try {
    const proc = spawn(process.execPath, ['--import', 'tsx', '--conditions=hookcat-src', child, dir], { stdio: ['ignore', 'pipe', 'inherit'] })
    const exited = new Promise((r) => proc.once('exit', r))
    // Whatever happens below, the child does not outlive the test.
    const stopChild = () => proc.exitCode === null && proc.signalCode === null && proc.kill('SIGKILL')
    process.once('exit', stopChild)
    const line = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => (stopChild(), reject(new Error('child did not start within 90 s'))), 90_000)
      proc.once('exit', (code) => (clearTimeout(timer), reject(new Error(`child exited with ${code} before starting`))))
      createInterface({ input: proc.stdout! }).once('line', (l) => (clearTimeout(timer), resolve(l)))
    }).catch((error) => {
      stopChild()
      throw error
    })
    const { url } = JSON.parse(line) as { url: string }
    const post = (path: string, body: unknown) => fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    const started = await post('/api/plugin/tasks/webhook/long-process', { steps: 100, stepMs: 100, input: { hello: 'world' } })
    assert.equal(started.status, 202)
    const { task_id: retryId, status } = (await started.json()) as { task_id: string; status: string }
    assert.equal(status, 'queued')
    const failStart = await post('/api/plugin/slow-fail/webhook/start', {})
    const { id: failId } = (await failStart.json()) as { id: string }
    // Killed only once both are running and have stored some progress.
    await until('progress of both tasks', async () => {
      if (proc.exitCode !== null) throw new Error('the child host died')
      const a = (await (await fetch(`${url}/api/plugin/tasks/webhook/long-process/${retryId}`)).json()) as { progress: number; status: string }
      const b = (await (await fetch(`${url}/api/plugin/slow-fail/webhook/task/${failId}`)).json()) as { progress: number; status: string }
      return a.status === 'running' && a.progress > 0 && b.status === 'running' && b.progress > 0 ? true : undefined
    })
    proc.kill('SIGKILL')
    await exited
    process.off('exit', stopChild)

    const t = await createTestHost({ dir, builtins: true, plugins: [failPlugin], config: { plugins: { tasks: { config: { public: true } } } } })
    try {
      const done = await until('the retried task to complete', async () => {
        const r = await t.webhook('tasks', `/long-process/${retryId}`, { method: 'GET' })
        const body = r.json()
        return body.status === 'completed' ? body : undefined
      })
      assert.equal(done.attempts, 2, 'the resumed run counts as a second attempt')
      assert.equal(done.progress, 1)
      // The same hash chain as an uninterrupted run: resuming lost and repeated nothing.
      const text = JSON.stringify({ hello: 'world' })
      let digest = createHash('sha256').update(text).digest('hex')
      for (let step = 1; step <= 100; step++) digest = createHash('sha256').update(`${digest}:${step}:${text}`).digest('hex')
      assert.equal(done.result.digest, digest)
      assert.ok(done.result.resumedAt > 0, 'the resumed run skipped the steps already done')
      const failed = (await t.webhook('slow-fail', `/task/${failId}`, { method: 'GET' })).json()
      assert.equal(failed.status, 'interrupted')
      assert.match(failed.error, /stopped while attempt 1 was running/)
      assert.equal((await t.webhook('tasks', '/long-process/nope', { method: 'GET' })).status, 404)
    } finally {
      await t.close()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
