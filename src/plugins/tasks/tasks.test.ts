// Issue 13.3: the tasks plugin fails closed like every other built-in, and finished tasks are pruned by count and age.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestHost, type TestHost } from '../../testing/index.js'

const TOKEN = 'tasks-token-Hy62Kd90'
const auth = { authorization: `Bearer ${TOKEN}` }

async function completed(t: TestHost, id: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const r = await t.webhook('tasks', `/long-process/${id}`, { method: 'GET', headers: auth })
    if (r.json().status === 'completed') return
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  throw new Error(`task ${id} did not complete`)
}

test('without a token or public: true, both endpoints answer 503 "secret not set"; a token is then required', async () => {
  const closed = await createTestHost({ builtins: true })
  try {
    for (const [method, path] of [['POST', '/long-process'], ['GET', '/long-process/some-id']]) {
      const r = await closed.webhook('tasks', path, { method, body: method === 'POST' ? { steps: 1 } : undefined })
      assert.equal(r.status, 503, `${method} ${path}: ${r.text}`)
      assert.equal(r.json().error.code, 'SECRET_NOT_CONFIGURED')
      assert.equal(r.json().error.details.field, 'token')
    }
    assert.equal((await closed.host.storage.listTasks({ plugin: 'tasks' })).length, 0, 'nothing was started')
  } finally {
    await closed.close()
  }
  const tokened = await createTestHost({ builtins: true, config: { plugins: { tasks: { config: { token: TOKEN } } } } })
  try {
    assert.equal((await tokened.webhook('tasks', '/long-process', { body: { steps: 1, stepMs: 0 } })).status, 401)
    const started = await tokened.webhook('tasks', '/long-process', { body: { steps: 1, stepMs: 0 }, headers: auth })
    assert.equal(started.status, 202, started.text)
    assert.equal((await tokened.webhook('tasks', `/long-process/${started.json().task_id}`, { method: 'GET' })).status, 401)
  } finally {
    await tokened.close()
  }
  const open = await createTestHost({ builtins: true, config: { plugins: { tasks: { config: { public: true } } } } })
  try {
    assert.equal((await open.webhook('tasks', '/long-process', { body: { steps: 1, stepMs: 0 } })).status, 202)
  } finally {
    await open.close()
  }
})

test('finished tasks are pruned by count and by age with the delivery log (retention.maxTasks, retention.maxTaskAge)', async () => {
  const t = await createTestHost({ builtins: true, config: { retention: { maxTasks: 2, maxTaskAge: '1h' }, plugins: { tasks: { config: { token: TOKEN } } } } })
  try {
    const ids: string[] = []
    for (let i = 0; i < 4; i++) {
      const r = await t.webhook('tasks', '/long-process', { body: { steps: 1, stepMs: 0, input: i }, headers: auth })
      ids.push(r.json().task_id)
      await completed(t, ids[i])
    }
    assert.ok((await t.host.prune()) >= 2)
    const status = async (id: string) => (await t.webhook('tasks', `/long-process/${id}`, { method: 'GET', headers: auth })).status
    assert.deepEqual(await Promise.all(ids.map(status)), [404, 404, 200, 200])
    t.clock.advance(2 * 3_600_000)
    await t.host.prune()
    assert.deepEqual(await Promise.all(ids.map(status)), [404, 404, 404, 404])
  } finally {
    await t.close()
  }
})
