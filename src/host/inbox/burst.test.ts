// A burst of async webhooks: the backlog is bounded by bytes (503 + Retry-After beyond), then drains, and nothing acknowledged is lost.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { definePlugin } from '../../index.js'
import { createTestHost } from '../../testing/index.js'
import { gate, waitFor } from '../../testing/helpers.js'

const BURST = 240
const CONNECTIONS = 40
const BODY_PAD = 'x'.repeat(1000)

test('a burst beyond inbox.maxBacklogBytes gets 503 + Retry-After for the excess; the backlog drains and every accepted event reaches the chat once', async () => {
  const hold = gate()
  const p = definePlugin({
    name: 'burst',
    version: '1.0.0',
    setup(plugin) {
      plugin.mountWebhook('/event', async (req) => {
        const { n } = (await req.json()) as { n: number }
        await hold.wait
        await plugin.send('test-burst', `event ${n}`)
        return { n }
      }, { public: true, mode: 'async' })
    },
  })
  // About 1 KB a body: the backlog holds 60 of them at most.
  const t = await createTestHost({ plugins: [p], config: { inbox: { maxBacklogBytes: 60 * 1024, concurrency: 8 } } })
  try {
    const accepted = new Map<number, string>()
    const refused: number[] = []
    const send = async (n: number) => {
      const res = await t.webhook('burst', '/event', { body: { n, pad: BODY_PAD } })
      if (res.status === 202) return void accepted.set(n, res.json().id)
      assert.equal(res.status, 503, res.text)
      assert.equal(res.json().error.code, 'OVERLOADED')
      assert.ok(Number(res.headers.get('retry-after')) > 0, 'a refusal says when to come back')
      refused.push(n)
    }
    // The burst, from a pool of connections, while every handler is held: the backlog only grows.
    let next = 0
    await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
      while (next < BURST) await send(next++)
    }))
    assert.equal(accepted.size + refused.length, BURST)
    assert.ok(refused.length > 0, 'the byte bound refused part of the burst')
    assert.ok(accepted.size >= 50 && accepted.size <= 60, `the backlog held ${accepted.size} deliveries of about 1 KB under a 60 KB bound`)
    assert.ok(t.host.inbox.backlogBytes <= 60 * 1024)

    // Every 202 was committed before it was sent.
    for (const id of accepted.values()) assert.equal((await t.host.storage.getDelivery(id))?.status, 'queued')

    // The burst ends: the backlog drains.
    hold.open()
    await waitFor(() => t.host.inbox.backlog === 0, 'the backlog to drain', 15_000)
    // The refused events come back, as their senders retry them, and are accepted now.
    for (const n of refused.splice(0)) await send(n)
    assert.equal(refused.length, 0, 'nothing is refused once the backlog drained')
    assert.equal(accepted.size, BURST)
    await t.sent.waitFor(BURST, 15_000)
    await waitFor(() => t.host.inbox.backlog === 0, 'the retried events to drain', 15_000)

    const texts = t.sent.all().map((m) => m.message.text)
    assert.equal(texts.length, BURST, 'each event reached the chat exactly once')
    assert.deepEqual(new Set(texts), new Set(Array.from({ length: BURST }, (_, n) => `event ${n}`)))
    for (const id of accepted.values()) assert.equal((await t.host.storage.getDelivery(id))?.status, 'done')
  } finally {
    hold.open()
    await t.close()
  }
})
