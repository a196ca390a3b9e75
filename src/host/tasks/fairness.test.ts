// Per-plugin task limits: one plugin's long jobs leave room for another plugin's tasks, and a full queue answers 503 + Retry-After.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { definePlugin } from '../../index.js'
import { createTestHost } from '../../testing/index.js'
import { waitFor } from '../../testing/helpers.js'

test("a plugin's long tasks do not starve another plugin's; beyond its queue cap tasks.start() is refused over HTTP with 503 and Retry-After", async () => {
  let release!: () => void
  const gate = new Promise<void>((resolve) => (release = resolve))
  const started: string[] = []
  const heavy = definePlugin({
    name: 'heavy',
    version: '1.0.0',
    setup(plugin) {
      plugin.tasks.define('long', async (task) => {
        started.push(task.id)
        await Promise.race([gate, new Promise((resolve) => task.signal.addEventListener('abort', resolve, { once: true }))])
        return 'done'
      })
      plugin.mountWebhook('/start', async () => plugin.tasks.start('long'), { public: true })
    },
  })
  const light = definePlugin({
    name: 'light',
    version: '1.0.0',
    setup(plugin) {
      plugin.tasks.define('quick', async (task) => ({ doubled: (task.params as { n: number }).n * 2 }))
      plugin.mountWebhook('/start', async (req) => plugin.tasks.start('quick', await req.json()), { public: true })
      plugin.mountWebhook('/get/:id', async (req) => (await plugin.tasks.get(req.params.id)) ?? { status: 'missing' }, { public: true, methods: ['GET'] })
    },
  })
  const t = await createTestHost({ plugins: [heavy, light], config: { tasks: { concurrency: 3, perPlugin: 2, maxQueued: 3 } } })
  try {
    const accepted: string[] = []
    for (let i = 0; i < 3; i++) {
      const res = await t.webhook('heavy', '/start', { body: {} })
      assert.equal(res.status, 200)
      accepted.push(res.json().id)
    }
    await waitFor(() => started.length === 2, 'two of the heavy tasks to start')

    // The fourth is beyond heavy's queue cap: refused with a code, a 503 and a Retry-After, and nothing is stored.
    const refused = await t.webhook('heavy', '/start', { body: {} })
    assert.equal(refused.status, 503)
    assert.equal(refused.json().error.code, 'TASK_QUEUE_FULL')
    assert.ok(Number(refused.headers.get('retry-after')) > 0, 'the refusal says when to come back')

    // One slot of the three is still free, as heavy may use only two: light's task runs now, while heavy's are blocked.
    const quick = (await t.webhook('light', '/start', { body: { n: 21 } })).json()
    const done = await waitFor(async () => {
      const info = (await t.webhook('light', `/get/${quick.id}`, { method: 'GET' })).json()
      return info.status === 'completed' ? info : undefined
    }, "light's task to complete")
    assert.deepEqual(done.result, { doubled: 42 })
    assert.equal(started.length, 2, "heavy's third task still waits for one of its plugin's two slots")

    release()
    for (const id of accepted) {
      await waitFor(async () => (await t.host.storage.getTask(id))?.status === 'completed', `heavy task ${id} to complete`)
    }
    assert.equal(started.length, 3)
    const after = await t.webhook('heavy', '/start', { body: {} })
    assert.equal(after.status, 200, 'once its queue has drained, the plugin may start tasks again')
  } finally {
    release()
    await t.close()
  }
})
