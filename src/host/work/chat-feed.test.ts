// The bounded chat feed on a real host: a long backlog waits in storage, memory stays under the caps, and every message arrives once, in order.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fakeOneBot } from '../../../test/fakes/onebot.js'
import { createTestHost, type TestHost } from '../../testing/index.js'
import { waitFor } from '../../testing/helpers.js'

const CHAT = 'qq-group_123456'
const label = (n: number) => `m ${String(n).padStart(4, '0')}`
const config = (url: string) => ({
  adapters: { qq: { type: 'onebot_v11', url, rateLimit: { perChat: { count: 10_000, interval: '1s' }, global: { count: 10_000, interval: '1s' } } } },
  // Digests would fold a backlog: the point here is each message, so they are off.
  outbox: { memory: { perChat: 10, total: 100 }, chats: { qq: { digest: false } } },
})

async function store(t: TestHost, chatKey: string, from: number, to: number): Promise<void> {
  for (let n = from; n <= to; n++) await t.host.outbox.store([t.host.outbox.prepare(chatKey, label(n))])
}

test('a backlog of 120 to one chat keeps 10 in memory; released, all 120 and 30 more sent meanwhile arrive once each, in order', async () => {
  const fake = fakeOneBot()
  const t = await createTestHost({ config: config(await fake.start()) as never })
  try {
    t.host.outbox.hold()
    await store(t, CHAT, 1, 120)
    assert.equal(t.host.outbox.depth, 10, 'ten in memory')
    assert.equal((await t.host.storage.outboxCounts()).pending, 120, 'all stored')
    assert.equal(await t.host.outbox.heldCount(CHAT), 120, 'what a chat holds is counted in storage, not in memory')
    t.host.outbox.release()
    const more = store(t, CHAT, 121, 150)
    let peak = 0
    await waitFor(() => {
      peak = Math.max(peak, t.host.outbox.depth)
      return fake.texts().length === 150
    }, 'every message', 30_000)
    await more
    assert.ok(peak <= 10 + 1, `at most the cap in memory while draining (peak ${peak})`)
    assert.deepEqual(fake.texts(), Array.from({ length: 150 }, (_, i) => label(i + 1)))
    // Drained, the chat is fed from memory again: what is committed now is queued at once.
    t.host.outbox.hold()
    await store(t, CHAT, 151, 155)
    assert.equal(t.host.outbox.depth, 5)
    t.host.outbox.release()
    await waitFor(() => fake.texts().length === 155, 'the messages after the backlog')
  } finally {
    await t.close()
    await fake.close()
  }
})

test('after a restart the stored backlog is paged in under the caps, across many chats, each chat in order', async () => {
  const fake = fakeOneBot()
  const url = await fake.start()
  const first = await createTestHost({ config: config(url) as never })
  const dir = first.dir
  const chats = Array.from({ length: 12 }, (_, i) => `qq-group_${100001 + i}`)
  try {
    first.host.outbox.hold()
    for (const chat of chats) await store(first, chat, 1, 25)
  } finally {
    await first.host.stop()
  }
  const t = await createTestHost({ dir, config: config(url) as never })
  try {
    // 12 chats × 25 = 300 stored; at most 100 in memory once each chat holds its floor of 10.
    assert.ok(t.host.outbox.depth <= 120, `depth ${t.host.outbox.depth}`)
    await waitFor(() => fake.texts().length === 300, 'every message', 30_000)
    for (const chat of chats) {
      const group = Number(chat.slice('qq-group_'.length))
      const texts = fake.accepted.filter((r) => r.json?.group_id === group).map((r) => r.json.message.map((s: { data: { text: string } }) => s.data.text).join(''))
      assert.deepEqual(texts, Array.from({ length: 25 }, (_, i) => label(i + 1)), chat)
    }
    await waitFor(async () => ((await t.host.storage.outboxCounts()).pending ?? 0) === 0, 'every message marked delivered')
    assert.equal(fake.texts().length, 300, 'and none sent twice')
  } finally {
    await t.close()
    await fake.close()
  }
})
