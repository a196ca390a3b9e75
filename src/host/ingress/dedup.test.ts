// Dedup through a real host: a sender's delivery id seen twice (one after the other, or 20 at once) runs the handler once.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestHost, type TestHost } from '../../testing/index.js'
import { gate, waitFor } from '../../testing/helpers.js'
import { definePlugin } from '../../index.js'

const runs = new Map<string, number>()
const count = (key: string) => runs.set(key, (runs.get(key) ?? 0) + 1).get(key)!
const slow = gate()

const plugin = definePlugin({
  name: 'dd',
  version: '1.0.0',
  setup(p) {
    p.mountWebhook('/sync', async (req) => ({ run: count(`sync:${req.senderDeliveryId}`), body: await req.json() }), { public: true })
    p.mountWebhook('/slow', async (req) => {
      count(`slow:${req.senderDeliveryId}`)
      await slow.wait
      return { done: true }
    }, { public: true })
    p.mountWebhook('/async', async (req) => ({ run: count(`async:${req.senderDeliveryId}`) }), { public: true, mode: 'async' })
    p.mountWebhook('/custom', (req) => ({ run: count(`custom:${req.senderDeliveryId}`) }), { public: true, dedup: { header: 'x-my-id' } })
    p.mountWebhook('/field', (req) => ({ run: count(`field:${req.senderDeliveryId}`) }), { public: true, dedup: { jsonField: 'eventId' } })
    p.mountWebhook('/off', () => ({ run: count('off') }), { public: true, dedup: false })
    p.mountWebhook('/flaky', (req) => {
      // Fails on its first run, succeeds on the second.
      if (count(`flaky:${req.senderDeliveryId}`) === 1) throw new Error('downstream unavailable')
      return { ok: true }
    }, { public: true })
  },
})
const other = definePlugin({
  name: 'dd2',
  version: '1.0.0',
  setup(p) {
    p.mountWebhook('/sync', (req) => ({ run: count(`other:${req.senderDeliveryId}`) }), { public: true })
  },
})

let t: TestHost
before(async () => {
  t = await createTestHost({ plugins: [plugin, other] })
})
after(() => t.close())

const gh = (id: string) => ({ 'x-github-delivery': id })

test('the same delivery id sent twice runs the handler once; the duplicate is answered from storage', async () => {
  const first = await t.webhook('dd', '/sync', { body: { n: 1 }, headers: gh('seq-1') })
  assert.equal(first.status, 200, first.text)
  const second = await t.webhook('dd', '/sync', { body: { n: 1 }, headers: gh('seq-1') })
  assert.equal(second.status, 200, second.text)
  assert.equal(second.text, first.text, 'the stored answer is replayed')
  assert.ok(second.headers.get('hookcat-duplicate-of'), 'the duplicate says which delivery it repeats')
  assert.equal(runs.get('sync:seq-1'), 1)
  const row = (await t.host.storage.findDelivery('dd', 'seq-1'))!
  assert.equal(row.duplicates, 1)
  // The same id at another plugin is another delivery.
  assert.equal((await t.webhook('dd2', '/sync', { body: {}, headers: gh('seq-1') })).status, 200)
  assert.equal(runs.get('other:seq-1'), 1)
})

test('20 concurrent requests with one X-GitHub-Delivery run a sync handler once; duplicates in flight get 409', async () => {
  const answers = await Promise.all(Array.from({ length: 20 }, () => t.webhook('dd', '/sync', { body: { n: 2 }, headers: gh('burst-sync') })))
  const statuses = answers.map((a) => a.status)
  assert.ok(statuses.every((s) => s === 200 || s === 409), statuses.join(','))
  assert.ok(statuses.includes(200))
  assert.equal(runs.get('sync:burst-sync'), 1)
  for (const a of answers.filter((x) => x.status === 409)) {
    assert.equal(a.json().error.code, 'DELIVERY_IN_PROGRESS')
    assert.ok(a.headers.get('retry-after'))
  }
})

test('a duplicate of a sync delivery still running gets 409 with Retry-After; after it finishes, the stored answer', async () => {
  const first = t.webhook('dd', '/slow', { body: {}, headers: gh('slow-1') })
  await waitFor(() => runs.get('slow:slow-1') === 1, 'the first request to reach its handler')
  const during = await t.webhook('dd', '/slow', { body: {}, headers: gh('slow-1') })
  assert.equal(during.status, 409, during.text)
  assert.equal(during.json().error.code, 'DELIVERY_IN_PROGRESS')
  assert.equal(during.headers.get('retry-after'), '1')
  slow.open()
  assert.equal((await first).status, 200)
  const later = await t.webhook('dd', '/slow', { body: {}, headers: gh('slow-1') })
  assert.equal(later.status, 200)
  assert.deepEqual(later.json(), { done: true })
  assert.equal(runs.get('slow:slow-1'), 1)
})

test('20 concurrent async requests with one delivery id: all 202 with the same id, the handler runs once', async () => {
  const answers = await Promise.all(Array.from({ length: 20 }, () => t.webhook('dd', '/async', { body: {}, headers: gh('burst-async') })))
  assert.deepEqual([...new Set(answers.map((a) => a.status))], [202])
  const ids = new Set(answers.map((a) => a.json().id))
  assert.equal(ids.size, 1, 'every duplicate names the one stored delivery')
  const row = await t.settled([...ids][0])
  assert.equal(row.status, 'done')
  assert.equal(runs.get('async:burst-async'), 1)
  assert.equal((await t.host.storage.getDelivery(row.id))?.duplicates, 19)
})

test('the delivery id can come from a header or a JSON field of the plugin\'s choice; dedup: false turns it off', async () => {
  for (let i = 0; i < 2; i++) assert.equal((await t.webhook('dd', '/custom', { body: {}, headers: { 'x-my-id': 'c-1' } })).status, 200)
  assert.equal(runs.get('custom:c-1'), 1)
  for (let i = 0; i < 2; i++) assert.equal((await t.webhook('dd', '/field', { body: { eventId: 'f-1', i } })).status, 200)
  assert.equal(runs.get('field:f-1'), 1)
  for (let i = 0; i < 2; i++) assert.equal((await t.webhook('dd', '/off', { body: {}, headers: gh('off-1') })).status, 200)
  assert.equal(runs.get('off'), 2)
  // Requests without any delivery id are all new.
  for (let i = 0; i < 2; i++) await t.webhook('dd', '/sync', { body: { i } })
  assert.equal(runs.get('sync:undefined'), 2)
})

test('a sync delivery that failed runs again when its sender redelivers it; once it succeeded, redeliveries are answered from storage', async () => {
  const headers = { 'x-github-delivery': 'flaky-1' }
  const first = await t.webhook('dd', '/flaky', { body: {}, headers })
  assert.equal(first.status, 500)
  const second = await t.webhook('dd', '/flaky', { body: {}, headers })
  assert.equal(second.status, 200, second.text)
  assert.deepEqual(second.json(), { ok: true })
  const third = await t.webhook('dd', '/flaky', { body: {}, headers })
  assert.equal(third.status, 200)
  assert.ok(third.headers.get('hookcat-duplicate-of'), 'answered from storage')
  assert.equal(runs.get('flaky:flaky-1'), 2)
  const row = await t.host.storage.findDelivery('dd', 'flaky-1')
  assert.equal(row?.status, 'done')
  assert.equal(row?.attempts, 2)
})
