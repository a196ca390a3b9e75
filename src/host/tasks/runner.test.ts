// plugin.tasks: progress and results are stored, errors are retried per policy, and plugins only see their own tasks.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { definePlugin, type Plugin } from '../../index.js'
import { createTestHost } from '../../testing/index.js'

async function until<T>(fn: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 15_000
  while (Date.now() < deadline) {
    const v = await fn()
    if (v !== undefined) return v
    await new Promise((r) => setTimeout(r, 20))
  }
  throw new Error(`timed out waiting for ${what}`)
}

test('tasks report progress and results, retry failures up to maxAttempts, fail at once with policy fail', async () => {
  let api: Plugin | undefined
  let flaky = 0
  const p = definePlugin({
    name: 'jobs',
    version: '1.0.0',
    setup(plugin) {
      api = plugin as unknown as Plugin
      plugin.tasks.define<{ n: number }>('square', async (task) => {
        await task.progress(0.5, 'half way')
        return { square: task.params.n * task.params.n, attempt: task.attempt }
      })
      plugin.tasks.define('flaky', async () => {
        if (++flaky < 3) throw new Error(`flaky failure ${flaky}`)
        return 'ok'
      }, { policy: 'retry', maxAttempts: 3 })
      plugin.tasks.define('broken', async () => {
        throw new Error('always broken')
      }, { policy: 'fail' })
      assert.throws(() => plugin.tasks.define('Bad Kind', async () => 1), /task kind/)
    },
  })
  const other = definePlugin({ name: 'other', version: '1.0.0', setup() {} })
  const t = await createTestHost({ plugins: [p, other], config: { plugins: {} } })
  try {
    const square = await api!.tasks.start('square', { n: 7 })
    assert.equal(square.status, 'queued')
    const done = await until(async () => {
      const info = await api!.tasks.get(square.id)
      return info?.status === 'completed' ? info : undefined
    }, 'square')
    assert.deepEqual(done.result, { square: 49, attempt: 1 })
    assert.equal(done.progress, 1)
    const flakyTask = await api!.tasks.start('flaky')
    const flakyDone = await until(async () => {
      const info = await api!.tasks.get(flakyTask.id)
      return info?.status === 'completed' || info?.status === 'failed' ? info : undefined
    }, 'flaky')
    assert.equal(flakyDone.status, 'completed')
    assert.equal(flakyDone.attempts, 3)
    const broken = await api!.tasks.start('broken')
    const brokenDone = await until(async () => {
      const info = await api!.tasks.get(broken.id)
      return info?.status === 'failed' ? info : undefined
    }, 'broken')
    assert.equal(brokenDone.attempts, 1)
    assert.equal(brokenDone.error, 'always broken')
    // Another plugin cannot read this plugin's task; unknown kinds are refused.
    const otherCtx = t.host.registry.get('other').context!
    assert.equal(await otherCtx.tasks.get(square.id), undefined)
    await assert.rejects(api!.tasks.start('nope'), /not defined/)
  } finally {
    await t.close()
  }
})
