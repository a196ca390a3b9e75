// Admin API for durable tasks: list with filters, one task with its result, refusal without a token, clear 4xx on bad input.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { definePlugin } from '../index.js'
import { createTestHost, type TestHost } from '../testing/index.js'
import { waitFor } from '../testing/helpers.js'

let t: TestHost
let started: { ok: string; bad: string }

const plugin = definePlugin({
  name: 'jobs',
  version: '1.0.0',
  setup(p) {
    p.tasks.define('double', async ({ params, progress }) => {
      await progress(0.5, 'halfway')
      return { doubled: (params as { n: number }).n * 2 }
    })
    p.tasks.define('explode', async () => {
      throw new Error('boom')
    }, { policy: 'fail' })
    p.onInit(async () => {
      started = { ok: (await p.tasks.start('double', { n: 21 })).id, bad: (await p.tasks.start('explode', {})).id }
    })
  },
})

before(async () => {
  t = await createTestHost({ plugins: [plugin] })
})
after(() => t.close())

test('tasks are listed with their status, and one task shows its result or error', async () => {
  await waitFor(async () => (await t.host.storage.getTask(started.ok))?.status === 'completed' && (await t.host.storage.getTask(started.bad))?.status === 'failed', 'both tasks settled')
  const list = await t.admin('/api/admin/tasks?plugin=jobs')
  assert.equal(list.status, 200, list.text)
  assert.deepEqual(list.json().tasks.map((task: { id: string }) => task.id).sort(), [started.ok, started.bad].sort())
  const failed = await t.admin('/api/admin/tasks?status=failed')
  assert.deepEqual(failed.json().tasks.map((task: { id: string }) => task.id), [started.bad])
  const one = await t.admin(`/api/admin/tasks/${started.ok}`)
  assert.equal(one.status, 200)
  assert.equal(one.json().status, 'completed')
  assert.deepEqual(one.json().result, { doubled: 42 })
  assert.equal(one.json().plugin, 'jobs')
  assert.match((await t.admin(`/api/admin/tasks/${started.bad}`)).json().error, /boom/)
})

test('unknown task, bad filter and missing token are clear 4xx answers', async () => {
  const missing = await t.admin('/api/admin/tasks/nope')
  assert.equal(missing.status, 404)
  assert.equal(missing.json().error.code, 'NOT_FOUND')
  const bad = await t.admin('/api/admin/tasks?status=exploded')
  assert.equal(bad.status, 400)
  const anonymous = await t.request('/api/admin/tasks')
  assert.equal(anonymous.status, 401)
})
