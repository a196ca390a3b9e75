import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestHost } from '../testing/index.js'
import { definePlugin, reply, verify } from '../index.js'
import { createHmac } from 'node:crypto'

test('a plugin receives sync and async webhooks, sends messages, and the built-in status answers', async () => {
  const p = definePlugin({
    name: 'demo', version: '1.0.0',
    setup(plugin) {
      plugin.mountWebhook('/hello', async (req) => {
        const body = await req.json<{ name: string }>()
        await plugin.send('test-room', `hello ${body.name}`)
        return { greeted: body.name }
      }, { public: true })
      plugin.mountWebhook('/gh', async (req) => {
        await plugin.send('test-gh', 'got ' + req.headers.get('x-github-event'))
        return { ok: 1 }
      }, { mode: 'async', verify: verify.github(() => 'sekrit') })
      plugin.mountWebhook('/r', () => reply(401, { no: true }), { public: true })
    },
  })
  const t = await createTestHost({ plugins: [p], builtins: true })
  try {
    const r = await t.webhook('demo', '/hello', { body: { name: 'x' } })
    assert.equal(r.status, 200, r.text)
    assert.deepEqual(r.json(), { greeted: 'x' })
    const m = await t.sent.next()
    assert.equal(m.message.text, 'hello x')
    const body = JSON.stringify({ a: 1 })
    const sig = 'sha256=' + createHmac('sha256', 'sekrit').update(body).digest('hex')
    const r2 = await t.webhook('demo', '/gh', { body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': sig, 'x-github-event': 'push', 'x-github-delivery': 'abc' } })
    assert.equal(r2.status, 202, r2.text)
    const m2 = await t.sent.next()
    assert.equal(m2.message.text, 'got push')
    const r3 = await t.webhook('demo', '/gh', { body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': sig, 'x-github-event': 'push', 'x-github-delivery': 'abc' } })
    assert.equal(r3.status, 202)
    assert.equal(r3.json().duplicate, true)
    const r4 = await t.webhook('demo', '/gh', { body, headers: { 'x-hub-signature-256': sig.slice(0, -1) + '0' } })
    assert.equal(r4.status, 401, r4.text)
    assert.equal((await t.webhook('demo', '/r')).status, 401)
    assert.equal((await t.webhook('demo', '/hello', { method: 'GET' })).status, 405)
    assert.equal((await t.webhook('nope', '/hello')).status, 404)
    const st = await t.webhook('status', '/status', { method: 'GET' })
    assert.equal(st.status, 200, st.text)
    const h = await t.request('/metrics'); assert.match(h.text, /hookcat_webhook_requests_total/)
  } finally { await t.close() }
})
