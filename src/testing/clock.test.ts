// The test clock: timestamps follow it, and advance() runs the inbox's and the outbox's retries that became due.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { definePlugin } from '../index.js'
import { createClock, createTestHost } from './index.js'

test('a frozen clock stands still and advance moves it', async () => {
  const clock = createClock({ start: 1_000_000 })
  assert.equal(clock.now(), 1_000_000)
  await clock.advance(250)
  assert.equal(clock.now(), 1_000_250)
  await clock.set(2_000_000)
  assert.equal(clock.now(), 2_000_000)
  await assert.rejects(clock.set(0), /backwards/)
  await assert.rejects(clock.advance(-1), RangeError)
})

test('advance runs a failed async delivery again once its backoff has passed, not before', async () => {
  let runs = 0
  const flaky = definePlugin({
    name: 'flaky',
    version: '1.0.0',
    setup(plugin) {
      plugin.mountWebhook(
        '/job',
        () => {
          runs++
          if (runs === 1) throw new Error('first attempt fails')
          return { runs }
        },
        { mode: 'async', public: true },
      )
    },
  })
  const clock = createClock()
  // A backoff of an hour: only the clock can make the retry due within this test.
  const t = await createTestHost({ plugins: [flaky], clock, config: { inbox: { backoffBase: 3_600_000, backoffMax: 3_600_000 } } })
  try {
    const accepted = await t.webhook('flaky', '/job', { body: {} })
    assert.equal(accepted.status, 202, accepted.text)
    const id = accepted.json().id as string
    // Wait until the failed first attempt is recorded, so that its retry time is set by the clock as it is now.
    for (let i = 0; i < 400 && (await t.host.storage.getDelivery(id))?.attempts !== 1; i++) await new Promise((r) => setTimeout(r, 5))
    await clock.advance(60_000)
    assert.equal((await t.host.storage.getDelivery(id))?.status, 'queued')
    await clock.advance(3_600_000)
    const row = await t.settled(id)
    assert.equal(row.status, 'done')
    assert.equal(runs, 2)
    assert.equal(row.attempts, 2)
  } finally {
    await t.close()
  }
})

test('advance sends a message again once the outbox backoff has passed', async () => {
  const notify = definePlugin({
    name: 'notify',
    version: '1.0.0',
    setup(plugin) {
      plugin.mountWebhook('/n', async () => plugin.send('test-room', 'hello'), { public: true })
    },
  })
  const clock = createClock()
  const t = await createTestHost({ plugins: [notify], clock, config: { outbox: { backoffBase: 3_600_000, backoffMax: 3_600_000 } } })
  try {
    t.sent.failNext = 1
    assert.equal((await t.webhook('notify', '/n', { body: {} })).status, 200)
    await assert.rejects(t.sent.next(200), /no message arrived/)
    await clock.advance(3_600_000)
    const message = await t.sent.next()
    assert.equal(message.message.text, 'hello')
    assert.equal(message.attempt, 2)
    assert.equal(message.at, clock.now())
  } finally {
    await t.close()
  }
})

test('advance runs a failed task again once its backoff has passed', async () => {
  let attempts = 0
  const jobs = definePlugin({
    name: 'jobs',
    version: '1.0.0',
    setup(plugin) {
      plugin.tasks.define('flaky', () => {
        attempts++
        if (attempts === 1) throw new Error('first attempt fails')
        return { attempts }
      }, { policy: 'retry', maxAttempts: 3 })
      plugin.mountWebhook('/start', async () => plugin.tasks.start('flaky', {}), { public: true })
    },
  })
  const clock = createClock()
  const t = await createTestHost({ plugins: [jobs], clock })
  try {
    const id = (await t.webhook('jobs', '/start', { body: {} })).json().id as string
    const plugin = t.host.registry.get('jobs').context!
    // Wait until the failed first attempt is recorded and its retry scheduled by the clock as it is now.
    for (let i = 0; i < 400 && (await plugin.tasks.get(id))?.attempts !== 1; i++) await new Promise((r) => setTimeout(r, 5))
    for (let i = 0; i < 400 && (await plugin.tasks.get(id))?.status !== 'queued'; i++) await new Promise((r) => setTimeout(r, 5))
    await clock.advance(10 * 60_000)
    for (let i = 0; i < 400 && (await plugin.tasks.get(id))?.status !== 'completed'; i++) await new Promise((r) => setTimeout(r, 5))
    const task = await plugin.tasks.get(id)
    assert.equal(task?.status, 'completed')
    assert.equal(attempts, 2)
  } finally {
    await t.close()
  }
})
