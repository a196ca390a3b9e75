// The outbox end to end on a test host: a 200-message burst paced to Telegram's limit, split parts resumed, Retry-After kept.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { z } from 'zod'
import { fakeTelegram } from '../../../test/fakes/telegram.js'
import { createTestHost } from '../../testing/index.js'
import { defineAdapter, SendError } from './adapter.js'

const TOKEN = '123456:burst-test-token'

test('a burst of 200 messages to one Telegram group is spread to the limit the fake enforces; every 429 is handled, all arrive in order', async () => {
  const fake = fakeTelegram(TOKEN)
  const apiBase = await fake.start()
  // The documented 20 per minute, scaled to 20 per 500 ms to keep the test short: the fake enforces the same window.
  fake.rateRule = { count: 20, windowMs: 500, retryAfterSeconds: 1 }
  const t = await createTestHost({
    config: { adapters: { tg: { type: 'telegram', token: TOKEN, apiBase, rateLimit: { perChat: { count: 20, interval: 500 } } } }, outbox: { maxAttempts: 50, chats: { tg: { digest: false } } } },
  })
  try {
    const rows = Array.from({ length: 200 }, (_, i) => t.host.outbox.prepare('tg-group_-100777', `burst ${i}`))
    await t.host.outbox.store(rows)
    for (let i = 0; i < 600 && fake.accepted.length < 200; i++) await new Promise((r) => setTimeout(r, 50))
    assert.deepEqual(fake.texts(), Array.from({ length: 200 }, (_, i) => `burst ${i}`))
    const counts = await t.host.storage.outboxCounts()
    assert.equal(counts.delivered, 200)
    assert.equal(counts.dead, 0)
    // Any 429 the platform gave (its clock and ours differ by the network) was retried after retry_after, not dropped.
    // (The start-up reachability check, getMe, is not a send.)
    assert.equal(fake.requests.filter((r) => r.path.endsWith('/sendMessage')).length, 200 + fake.rateAnswers)
    const metrics = (await t.request('/metrics')).text
    assert.match(metrics, /hookcat_outbox_delivery_seconds_count\{adapter="tg"\} 200\b/)
    assert.match(metrics, /hookcat_outbox_depth\{adapter="tg"\} 0\b/)
    assert.match(metrics, /hookcat_outbox_attempts_total\{adapter="tg",result="ok"\} 200\b/)
  } finally {
    await t.close()
    await fake.close()
  }
})

/** A platform with three parts per message whose second part fails on demand. */
function partsAdapter(log: string[], failures: { part1: number; permanent?: boolean; retryAfterMs?: number }) {
  return defineAdapter({
    type: 'parts',
    description: 'three parts per message',
    config: z.object({ type: z.literal('parts').optional() }),
    create(_s, context) {
      return {
        name: context.name,
        type: 'parts',
        render: (_channel, message) => [1, 2, 3].map((i) => `${message.text} (${i}/3)`),
        async send(_channel, _message, { payload, part }) {
          if (part === 1 && failures.part1 > 0) {
            failures.part1--
            throw new SendError('part refused', { retryable: !failures.permanent, retryAfterMs: failures.retryAfterMs })
          }
          log.push(String(payload))
        },
      }
    },
  })
}

test('parts go in order; a part that failed is retried alone, and a dead letter retried later resumes after the parts that went through', async () => {
  const log: string[] = []
  const failures = { part1: 1, permanent: true }
  const t = await createTestHost({ adapters: [partsAdapter(log, failures)], config: { adapters: { p: { type: 'parts' } } } })
  try {
    const [row] = [t.host.outbox.prepare('p-room', 'hello')]
    await t.host.outbox.store([row])
    for (let i = 0; i < 200 && (await t.host.storage.getMessage(row.id))?.state !== 'dead'; i++) await new Promise((r) => setTimeout(r, 10))
    assert.deepEqual(log, ['hello (1/3)'])
    const attempts = await t.host.storage.messageAttempts(row.id)
    assert.deepEqual(attempts.map((a) => a.ok), [true, false])
    assert.match((await t.request('/metrics')).text, /hookcat_outbox_dead_letters_total\{adapter="p"\} 1\b/)
    assert.equal(await t.host.outbox.retry(row.id), true)
    for (let i = 0; i < 200 && (await t.host.storage.getMessage(row.id))?.state !== 'delivered'; i++) await new Promise((r) => setTimeout(r, 10))
    assert.deepEqual(log, ['hello (1/3)', 'hello (2/3)', 'hello (3/3)'], 'part 1 was not sent twice')
  } finally {
    await t.close()
  }
})

test("a platform's Retry-After sets the next attempt, and parts already sent survive a restart", async () => {
  const log: string[] = []
  let clock = 1_000_000
  const failures = { part1: 1, retryAfterMs: 120_000 }
  const first = await createTestHost({ adapters: [partsAdapter(log, failures)], config: { adapters: { p: { type: 'parts' } } }, now: () => clock })
  const row = first.host.outbox.prepare('p-room', 'hi')
  try {
    await first.host.outbox.store([row])
    for (let i = 0; i < 200 && (await first.host.storage.getMessage(row.id))?.attempts !== 2; i++) await new Promise((r) => setTimeout(r, 10))
    const stored = (await first.host.storage.getMessage(row.id))!
    assert.equal(stored.state, 'pending')
    const wait = stored.nextAttemptAt - clock
    assert.ok(wait >= 120_000 && wait <= 121_000, `waits as asked: ${wait} ms`)
  } finally {
    await first.host.stop()
  }
  // A new process: it must start from part 2 when the wait is over.
  clock += 130_000
  const second = await createTestHost({ dir: first.dir, adapters: [partsAdapter(log, failures)], config: { adapters: { p: { type: 'parts' } } }, now: () => clock })
  try {
    for (let i = 0; i < 200 && (await second.host.storage.getMessage(row.id))?.state !== 'delivered'; i++) await new Promise((r) => setTimeout(r, 10))
    assert.deepEqual(log, ['hi (1/3)', 'hi (2/3)', 'hi (3/3)'])
  } finally {
    await second.close()
  }
})
