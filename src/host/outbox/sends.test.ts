// plugin.send through a real host: committed with the delivery, checked at the call site, the web and console adapters,
// and FIFO per chat with retries.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { createTestHost, type TestHost } from '../../testing/index.js'
import { openReader, waitFor } from '../../testing/helpers.js'
import { definePlugin, type Plugin } from '../../index.js'

let api!: Plugin
const plugin = definePlugin({
  name: 'snd',
  version: '1.0.0',
  setup(p) {
    api = p as unknown as Plugin
    p.mountWebhook('/send', async (req) => {
      const { chat, text } = await req.json<{ chat: string; text: string }>()
      const sent = await p.send(chat, text)
      return { id: sent.id, deliveryId: req.deliveryId }
    }, { public: true })
    p.mountWebhook('/send-then-throw', async (req) => {
      const { text } = await req.json<{ text: string }>()
      await p.send('test-order', text)
      throw new Error('failed after sending')
    }, { public: true })
    p.mountWebhook('/bad-key', async (req) => {
      const { chat } = await req.json<{ chat: string }>()
      try {
        await p.send(chat, 'never stored')
        return { thrown: false }
      } catch (error) {
        return { thrown: true, code: (error as { code?: string }).code, message: (error as Error).message }
      }
    }, { public: true })
    p.mountWebhook('/bad-key-uncaught', async () => {
      await p.send('nodash', 'never stored')
    }, { public: true })
  },
})

let t: TestHost
before(async () => {
  t = await createTestHost({ plugins: [plugin], config: { outbox: { backoffBase: 2, backoffMax: 10 } } })
})
after(() => t.close())

const texts = (chatKey: string) => t.sent.all().filter((m) => m.chatKey === chatKey).map((m) => m.message.text)

test('a sync handler\'s send is committed with its delivery before the answer, then delivered through the adapter', async () => {
  const reader = openReader(join(t.dir, 'hookcat.db'))
  try {
    const r = await t.webhook('snd', '/send', { body: { chat: 'test-room', text: 'hello room' } })
    assert.equal(r.status, 200, r.text)
    const { id, deliveryId } = r.json()
    // A second, independent connection sees the message and the delivery as soon as the answer arrived.
    const row = reader.prepare('SELECT chat_key, delivery_id FROM outbox WHERE id = ?').get(id) as { chat_key: string; delivery_id: string }
    assert.deepEqual(row, { chat_key: 'test-room', delivery_id: deliveryId })
    assert.ok(reader.prepare('SELECT 1 FROM deliveries WHERE id = ?').get(deliveryId))
  } finally {
    reader.close()
  }
  await waitFor(() => texts('test-room').includes('hello room'), 'the message at the capture adapter')
})

test('a handler that sends and then throws sends nothing', async () => {
  const failed = await t.webhook('snd', '/send-then-throw', { body: { text: 'must not arrive' } })
  assert.equal(failed.status, 500)
  // A later message to the same chat arrives; FIFO per chat means the dropped one would have come first.
  assert.equal((await t.webhook('snd', '/send', { body: { chat: 'test-order', text: 'after the failure' } })).status, 200)
  await waitFor(() => texts('test-order').includes('after the failure'), 'the later message')
  assert.deepEqual(texts('test-order'), ['after the failure'])
  const stored = await t.host.storage.listMessages({ chatKey: 'test-order' })
  assert.deepEqual(stored.map((m) => (m.message as { text: string }).text), ['after the failure'])
})

test('an invalid chat_key fails at the call site with INVALID_CHAT_KEY; uncaught, the client gets a 400', async () => {
  for (const [chat, mention] of [['nodash', /nodash/], ['zzz-1', /zzz/], ['-x', /-x/], ['test-', /test-/], ['Bad-x', /Bad/]] as const) {
    const r = await t.webhook('snd', '/bad-key', { body: { chat } })
    const out = r.json()
    assert.equal(out.thrown, true, chat)
    assert.equal(out.code, 'INVALID_CHAT_KEY', chat)
    assert.match(out.message, mention)
  }
  const uncaught = await t.webhook('snd', '/bad-key-uncaught', { body: {} })
  assert.equal(uncaught.status, 400)
  assert.equal(uncaught.json().error.code, 'INVALID_CHAT_KEY')
  assert.equal((await t.host.storage.listMessages({ limit: 1000 })).filter((m) => (m.message as { text: string }).text === 'never stored').length, 0)
  // Outside a handler too.
  await assert.rejects(api.send('zzz-1', 'x'), { code: 'INVALID_CHAT_KEY' })
})

test('web-<room> messages are kept in storage and announced as web.message events', async () => {
  const heard: Array<{ room: string; message: unknown }> = []
  const listener = (e: { room: string; message: unknown }) => heard.push(e)
  t.host.events.on('web.message', listener)
  try {
    assert.equal((await t.webhook('snd', '/send', { body: { chat: 'web-lobby', text: 'hi lobby' } })).status, 200)
    const rows = await waitFor(async () => {
      const list = await t.host.storage.webMessages('lobby')
      return list.length ? list : undefined
    }, 'the web message in storage')
    assert.equal((rows[0].message as { text: string }).text, 'hi lobby')
    await waitFor(() => heard.length === 1, 'the web.message event')
    assert.equal(heard[0].room, 'lobby')
    assert.equal((heard[0].message as { text: string }).text, 'hi lobby')
    const bad = await t.webhook('snd', '/bad-key', { body: { chat: 'web-no spaces allowed' } })
    assert.equal(bad.json().code, 'INVALID_CHAT_KEY')
  } finally {
    t.host.events.off('web.message', listener)
  }
})

test('console-<x> messages are printed to stdout', async () => {
  const printed: string[] = []
  const write = process.stdout.write
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = String(chunk)
    if (text.includes('[console-ops]')) {
      printed.push(text)
      return true
    }
    return (write as (...a: unknown[]) => boolean).call(process.stdout, chunk, ...rest)
  }) as typeof process.stdout.write
  try {
    assert.equal((await t.webhook('snd', '/send', { body: { chat: 'console-ops', text: 'printed line' } })).status, 200)
    await waitFor(() => printed.length > 0, 'the console line')
    assert.equal(printed[0], '[console-ops] printed line\n')
  } finally {
    process.stdout.write = write
  }
})

test('messages to one chat arrive in order, each exactly once, across failed attempts that are retried with backoff', async () => {
  t.sent.failNext = 3
  for (let i = 1; i <= 6; i++) await api.send('test-fifo', `m${i}`)
  await waitFor(() => texts('test-fifo').length === 6, 'six messages')
  assert.deepEqual(texts('test-fifo'), ['m1', 'm2', 'm3', 'm4', 'm5', 'm6'])
  const first = t.sent.all().find((m) => m.message.text === 'm1')!
  assert.equal(first.attempt, 4, 'the first message went through on its fourth attempt')
  // The adapter has the messages; their delivered state commits right after.
  const rows = await waitFor(async () => {
    const list = await t.host.storage.listMessages({ chatKey: 'test-fifo' })
    return list.every((r) => r.state === 'delivered') ? list : undefined
  }, 'every message recorded as delivered')
  const attempts = await t.host.storage.messageAttempts(rows.find((r) => (r.message as { text: string }).text === 'm1')!.id)
  assert.deepEqual(attempts.map((a) => a.ok), [false, false, false, true])
})
