// Async webhooks through a real host: 202 before the handler runs, the durable inbox, retries with backoff, failures kept,
// no retry for a 4xx the handler chose, resumption after a restart, and replay.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClock, createTestHost, type TestHost } from '../../testing/index.js'
import { gate, waitFor } from '../../testing/helpers.js'
import { definePlugin, HookcatError } from '../../index.js'

const fast = { inbox: { backoffBase: 2, backoffMax: 10, maxAttempts: 4 }, outbox: { backoffBase: 2, backoffMax: 10 } }

const hold = gate()
const seen: Array<{ id: string; body: unknown; attempt: number }> = []
const calls = { flaky: 0, always: 0, refused: 0, slow: 0 }
const replayed: Array<{ id: string; body: string; event: string | null }> = []

const plugin = definePlugin({
  name: 'aq',
  version: '1.0.0',
  setup(p) {
    const open = { public: true, mode: 'async' } as const
    p.mountWebhook('/event', async (req) => {
      await hold.wait
      seen.push({ id: req.deliveryId, body: await req.json(), attempt: req.attempt })
      await p.send('test-async', `event ${req.deliveryId}`)
      return { handled: true }
    }, open)
    p.mountWebhook('/flaky', async (req) => {
      calls.flaky++
      await p.send('test-flaky', `attempt ${req.attempt}`)
      if (req.attempt < 3) throw new Error(`transient failure ${req.attempt}`)
      return { ok: req.attempt }
    }, open)
    p.mountWebhook('/always', () => {
      calls.always++
      throw new Error('always broken')
    }, open)
    p.mountWebhook('/refused', () => {
      calls.refused++
      throw new HookcatError('VALIDATION_FAILED', 'this payload will never work')
    }, open)
    p.mountWebhook('/slow', () => {
      calls.slow++
      return new Promise(() => undefined)
    }, { ...open, timeout: 30, maxAttempts: 2 })
    p.mountWebhook('/sync', async (req) => {
      replayed.push({ id: req.deliveryId, body: await req.text(), event: req.headers.get('x-event') })
      return { run: replayed.length }
    }, { public: true })
  },
})

let t: TestHost
before(async () => {
  t = await createTestHost({ plugins: [plugin], config: fast })
})
after(() => t.close())

test('an async webhook answers 202 with the delivery id before its handler runs; the handler then runs from the inbox', async () => {
  const r = await t.webhook('aq', '/event', { body: { n: 1 } })
  assert.equal(r.status, 202, r.text)
  const { id, status } = r.json()
  assert.equal(status, 'queued')
  assert.equal(seen.length, 0, 'the handler has not run when the answer arrives')
  const stored = await t.host.storage.getDelivery(id)
  assert.ok(stored && ['queued', 'processing'].includes(stored.status), `stored before the ack: ${stored?.status}`)
  assert.deepEqual(JSON.parse(stored.body!.toString()), { n: 1 })
  hold.open()
  const done = await t.settled(id)
  assert.equal(done.status, 'done')
  assert.equal(done.attempts, 1)
  assert.deepEqual(JSON.parse(done.responseBody ?? 'null'), { handled: true })
  assert.deepEqual(seen, [{ id, body: { n: 1 }, attempt: 1 }])
  const message = await waitFor(() => t.sent.all().find((m) => m.chatKey === 'test-async'), 'the message')
  assert.equal(message.message.text, `event ${id}`)
})

test('a throwing handler is retried with backoff until it succeeds; sends of failed attempts are dropped', async () => {
  const r = await t.webhook('aq', '/flaky', { body: {} })
  const row = await t.settled(r.json().id)
  assert.equal(row.status, 'done')
  assert.equal(row.attempts, 3)
  assert.equal(calls.flaky, 3)
  await waitFor(() => t.sent.all().some((m) => m.chatKey === 'test-flaky'), 'the message')
  const messages = await t.host.storage.listMessages({ chatKey: 'test-flaky' })
  assert.deepEqual(messages.map((m) => (m.message as { text: string }).text), ['attempt 3'], 'only the successful attempt sent')
  assert.ok(t.logs.some((l) => l.msg === 'async handler failed; will retry' && l.attempt === 1))
})

test('a handler that always throws is kept as failed after maxAttempts; a 4xx HookcatError is not retried', async () => {
  const always = await t.settled((await t.webhook('aq', '/always', { body: {} })).json().id)
  assert.equal(always.status, 'failed')
  assert.equal(always.attempts, 4)
  assert.equal(calls.always, 4)
  assert.match(always.error ?? '', /always broken/)
  const refused = await t.settled((await t.webhook('aq', '/refused', { body: {} })).json().id)
  assert.equal(refused.status, 'failed')
  assert.equal(refused.attempts, 1)
  assert.equal(refused.responseStatus, 400)
  assert.equal(calls.refused, 1)
  const slow = await t.settled((await t.webhook('aq', '/slow', { body: {} })).json().id)
  assert.equal(slow.status, 'failed')
  assert.equal(slow.attempts, 2, 'a per-route maxAttempts wins; a timed-out run counts as a failed attempt')
  assert.match(slow.error ?? '', /HANDLER_TIMEOUT/)
})

test('replay runs a stored delivery through its handler again, as a new delivery with the same request', async () => {
  const r = await t.webhook('aq', '/sync', { body: '{"payload":  1}', headers: { 'content-type': 'application/json', 'x-event': 'push' } })
  assert.equal(r.status, 200)
  const original = (await t.host.storage.listDeliveries({ plugin: 'aq' })).find((d) => d.path === '/sync')!
  const copy = await t.host.inbox.replay(original)
  assert.notEqual(copy.id, original.id)
  const done = await t.settled(copy.id)
  assert.equal(done.status, 'done')
  assert.deepEqual(JSON.parse(done.responseBody ?? 'null'), { run: 2 })
  assert.equal(replayed.length, 2)
  assert.deepEqual(replayed[1], { id: copy.id, body: '{"payload":  1}', event: 'push' })
})

test('unfinished deliveries resume after a restart: one never started, one waiting for its retry', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookcat-resume-'))
  const hold = gate()
  const firstRuns: string[] = []
  const first = definePlugin({
    name: 'resume',
    version: '1.0.0',
    setup(plugin) {
      plugin.mountWebhook('/blocking', async (req) => {
        firstRuns.push(req.deliveryId)
        await hold.wait
        return { first: true }
        // Not ordered: the two blocked deliveries of this route take both handler slots at once.
      }, { public: true, mode: 'async', orderingKey: false })
      plugin.mountWebhook('/retrying', () => {
        throw new Error('down until the restart')
      }, { public: true, mode: 'async' })
    },
  })
  const secondRuns: Array<{ id: string; attempt: number; body: unknown }> = []
  const second = definePlugin({
    name: 'resume',
    version: '2.0.0',
    setup(plugin) {
      const handler = async (req: { deliveryId: string; attempt: number; json(): Promise<unknown> }) => {
        secondRuns.push({ id: req.deliveryId, attempt: req.attempt, body: await req.json() })
        return { second: true }
      }
      plugin.mountWebhook('/blocking', handler, { public: true, mode: 'async' })
      plugin.mountWebhook('/retrying', handler, { public: true, mode: 'async' })
    },
  })
  try {
    // Two handler slots: a delivery whose handler fails waits a long backoff; two blocked deliveries fill the slots, so a
    // fourth waits in the inbox without starting.
    const a = await createTestHost({ dir, plugins: [first], config: { inbox: { concurrency: 2, backoffBase: 60_000, backoffMax: 60_000 } } })
    const retrying = (await a.webhook('resume', '/retrying', { body: { n: 3 } })).json().id
    await waitFor(async () => (await a.host.storage.getDelivery(retrying))?.attempts === 1, 'the first attempt to fail')
    const blocked = [(await a.webhook('resume', '/blocking', { body: { n: 1 } })).json().id, (await a.webhook('resume', '/blocking', { body: { n: 1 } })).json().id]
    await waitFor(() => firstRuns.length === 2, 'both slots to be taken')
    const waiting = (await a.webhook('resume', '/blocking', { body: { n: 2 } })).json().id
    const closing = a.close()
    // Let the blocked handler finish only once the inbox has stopped taking work (its private flag; nothing public says so).
    await waitFor(() => (a.host.inbox as unknown as { stopped: boolean }).stopped, 'the inbox to stop')
    hold.open()
    await closing
    assert.deepEqual(firstRuns, blocked, 'the waiting delivery did not start while the host stopped')

    // The new process starts a minute later (its clock), when the retry is due.
    const clock = createClock({ start: Date.now() + 120_000, frozen: false })
    const b = await createTestHost({ dir, plugins: [second], clock })
    try {
      const resumed = await b.settled(waiting)
      assert.equal(resumed.status, 'done')
      const retried = await b.settled(retrying)
      assert.equal(retried.status, 'done')
      assert.equal(retried.attempts, 2)
      const byId = new Map(secondRuns.map((r) => [r.id, r]))
      assert.deepEqual(byId.get(waiting), { id: waiting, attempt: 1, body: { n: 2 } })
      assert.deepEqual(byId.get(retrying), { id: retrying, attempt: 2, body: { n: 3 } })
      assert.ok(blocked.every((id) => !byId.has(id)), 'deliveries finished before the stop do not run again')
      assert.equal(secondRuns.length, 2)
    } finally {
      await b.close()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

