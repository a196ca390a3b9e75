// The handler contract through a real host: the Fetch-like request with exact raw bytes, and every way a handler can answer.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { createTestHost, type TestHost } from '../../testing/index.js'
import { definePlugin, HookcatError, reply, type WebhookRequest } from '../../index.js'

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

const plugin = definePlugin({
  name: 'h',
  version: '1.0.0',
  setup(p) {
    const open = { public: true } as const
    p.mountWebhook(
      '/echo/:kind',
      async (req: WebhookRequest) => ({
        method: req.method,
        url: req.url,
        path: req.path,
        params: req.params,
        query: req.query,
        all: req.searchParams.getAll('a'),
        contentType: req.headers.get('CoNtEnT-TyPe'),
        custom: req.headers.get('X-CUSTOM-header'),
        missing: req.headers.get('x-not-sent'),
        clientAddress: req.clientAddress,
        deliveryId: req.deliveryId,
        raw: req.raw.toString('base64'),
        text: await req.text(),
        arrayBuffer: sha256(new Uint8Array(await req.arrayBuffer())),
      }),
      { ...open, methods: ['GET', 'POST', 'PUT'] },
    )
    p.mountWebhook('/json', async (req) => {
      const value = await req.json()
      return { value, raw: req.raw.toString('base64'), reencoded: JSON.stringify(value) }
    }, open)
    p.mountWebhook('/form', async (req) => {
      const form = await req.formData()
      const file = form.get('upload') as File
      return { field: form.get('note'), name: file.name, type: file.type, size: file.size, sha: sha256(new Uint8Array(await file.arrayBuffer())) }
    }, open)
    p.mountWebhook('/fields', async (req) => Object.fromEntries((await req.formData()).entries()), open)
    p.mountWebhook('/plain', () => ({ ok: 'plain' }), open)
    p.mountWebhook('/nothing', () => undefined, open)
    p.mountWebhook('/reply', () => reply(201, 'made it', { 'x-extra': 'yes', 'content-type': 'text/x-custom' }), open)
    p.mountWebhook('/reply-json', () => reply(401, { error: 'bad signature' }), open)
    p.mountWebhook('/reply-empty', () => reply(204), open)
    p.mountWebhook('/response', () => new Response('teapot body', { status: 418, headers: { 'x-from': 'response', 'content-type': 'text/teapot' } }), open)
    p.mountWebhook('/hookcat-error', () => {
      throw new HookcatError('FORBIDDEN', 'not for you')
    }, open)
    p.mountWebhook('/plain-error', () => {
      throw new Error('db password hunter2 leaked in a message')
    }, open)
    p.mountWebhook('/throw-string', () => {
      throw 'a bare string'
    }, open)
    p.mountWebhook('/bigint', () => ({ n: 10n }), open)
    p.mountWebhook('/hang', () => new Promise(() => undefined), { ...open, timeout: 150 })
  },
})

let t: TestHost

before(async () => {
  t = await createTestHost({ plugins: [plugin] })
})
after(() => t.close())

test('the request is Fetch-like: method, absolute url, case-insensitive headers, query, params, client address, delivery id', async () => {
  const r = await t.request('/api/plugin/h/webhook/echo/push?a=1&a=2&b=%20x&empty=', {
    method: 'PUT',
    headers: { 'content-type': 'text/plain; charset=utf-8', 'x-custom-header': 'Value' },
    body: 'hello',
  })
  assert.equal(r.status, 200, r.text)
  const echo = r.json()
  assert.equal(echo.method, 'PUT')
  assert.equal(echo.url, `${t.url}/api/plugin/h/webhook/echo/push?a=1&a=2&b=%20x&empty=`)
  assert.equal(echo.path, '/echo/push')
  assert.deepEqual(echo.params, { kind: 'push' })
  assert.deepEqual(echo.query, { a: '1', b: ' x', empty: '' })
  assert.deepEqual(echo.all, ['1', '2'])
  assert.equal(echo.contentType, 'text/plain; charset=utf-8')
  assert.equal(echo.custom, 'Value')
  assert.equal(echo.missing, null)
  assert.match(echo.clientAddress, /^(::ffff:)?127\.0\.0\.1$/)
  assert.equal(echo.text, 'hello')
  const stored = await t.host.storage.getDelivery(echo.deliveryId)
  assert.ok(stored, 'the delivery id the handler saw is the stored delivery')
  assert.equal(stored.path, '/echo/push')
})

test('raw is exactly the bytes sent, even when they are not UTF-8; text() and arrayBuffer() read the same body', async () => {
  const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x80, 0xc3, 0x28, 0x41, 0xe2, 0x82, 0x0a, 0xf0, 0x9f, 0x98])
  const r = await t.webhook('h', '/echo/bin', { body: new Uint8Array(bytes), headers: { 'content-type': 'application/octet-stream' } })
  assert.equal(r.status, 200, r.text)
  const echo = r.json()
  assert.deepEqual(Buffer.from(echo.raw, 'base64'), bytes)
  assert.equal(echo.arrayBuffer, sha256(bytes))
  const stored = await t.host.storage.getDelivery(echo.deliveryId)
  assert.deepEqual(stored?.body, bytes, 'the delivery log keeps the same bytes')
})

test('json() parses while raw keeps the bytes whose re-serialisation would differ', async () => {
  const text = '{"a":1,  "b":"\\u2028", "c": 1.0, "é": "x"}'
  const bytes = Buffer.from(text, 'utf8')
  const r = await t.webhook('h', '/json', { body: new Uint8Array(bytes), headers: { 'content-type': 'application/json' } })
  assert.equal(r.status, 200, r.text)
  const out = r.json()
  assert.deepEqual(out.value, { a: 1, b: '\u2028', c: 1, é: 'x' })
  assert.deepEqual(Buffer.from(out.raw, 'base64'), bytes)
  assert.notEqual(out.reencoded, text, 'the sample really does re-encode differently')
  const bad = await t.webhook('h', '/json', { body: '{"a":', headers: { 'content-type': 'application/json' } })
  assert.equal(bad.status, 400, bad.text)
  assert.equal(bad.json().error.code, 'INVALID_JSON')
})

test('formData() reads a real multipart upload with a binary file, and urlencoded forms; a non-form body is 415', async () => {
  const content = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0x10, 0x0d, 0x0a, 0x2d, 0x2d])
  const form = new FormData()
  form.set('note', 'hello 你好')
  form.set('upload', new Blob([new Uint8Array(content)], { type: 'image/png' }), '../../evil name.png')
  const r = await t.request('/api/plugin/h/webhook/form', { method: 'POST', body: form })
  assert.equal(r.status, 200, r.text)
  assert.deepEqual(r.json(), { field: 'hello 你好', name: '../../evil name.png', type: 'image/png', size: content.length, sha: sha256(content) })
  const fields = await t.webhook('h', '/fields', { body: new URLSearchParams({ a: '1 2', b: 'ü&=' }) })
  assert.deepEqual(fields.json(), { a: '1 2', b: 'ü&=' })
  const wrong = await t.webhook('h', '/form', { body: { not: 'a form' } })
  assert.equal(wrong.status, 415, wrong.text)
  const broken = await t.webhook('h', '/form', { body: '--x\r\nnonsense', headers: { 'content-type': 'multipart/form-data; boundary=x' } })
  assert.equal(broken.status, 400, broken.text)
  assert.equal(broken.json().error.code, 'INVALID_FORM')
})

test('a plain value is 200 JSON; undefined is {"ok":true}', async () => {
  const r = await t.webhook('h', '/plain')
  assert.equal(r.status, 200)
  assert.match(r.headers.get('content-type') ?? '', /^application\/json/)
  assert.deepEqual(r.json(), { ok: 'plain' })
  const n = await t.webhook('h', '/nothing')
  assert.equal(n.status, 200)
  assert.deepEqual(n.json(), { ok: true })
})

test('reply(status, body, headers) answers exactly that; a Response is sent as it is', async () => {
  const r = await t.webhook('h', '/reply')
  assert.equal(r.status, 201)
  assert.equal(r.text, 'made it')
  assert.equal(r.headers.get('x-extra'), 'yes')
  assert.equal(r.headers.get('content-type'), 'text/x-custom')
  const j = await t.webhook('h', '/reply-json')
  assert.equal(j.status, 401)
  assert.deepEqual(j.json(), { error: 'bad signature' })
  const e = await t.webhook('h', '/reply-empty')
  assert.equal(e.status, 204)
  assert.equal(e.text, '')
  const res = await t.webhook('h', '/response')
  assert.equal(res.status, 418)
  assert.equal(res.text, 'teapot body')
  assert.equal(res.headers.get('x-from'), 'response')
  assert.equal(res.headers.get('content-type'), 'text/teapot')
})

test('a thrown HookcatError keeps its status and code; anything else is a bare 500 without message or stack', async () => {
  const h = await t.webhook('h', '/hookcat-error')
  assert.equal(h.status, 403)
  assert.deepEqual(h.json(), { error: { code: 'FORBIDDEN', message: 'not for you' } })
  for (const path of ['/plain-error', '/throw-string', '/bigint']) {
    const r = await t.webhook('h', path)
    assert.equal(r.status, 500, `${path}: ${r.text}`)
    assert.match(r.headers.get('content-type') ?? '', /application\/json/)
    const body = r.json()
    assert.ok(['HANDLER_ERROR', 'INTERNAL'].includes(body.error.code), r.text)
    assert.doesNotMatch(r.text, /hunter2|bare string|at .*\.ts|\n/, `${path} leaks details: ${r.text}`)
  }
  const row = (await t.host.storage.listDeliveries({ plugin: 'h', limit: 10 })).find((d) => d.path === '/plain-error')
  assert.equal(row?.status, 'failed')
  assert.match(row?.error ?? '', /hunter2|Error/, 'the operator sees the failure in the delivery log')
})

test('a handler that never answers gets 504 after its timeout, and the host keeps serving', async () => {
  const r = await t.webhook('h', '/hang')
  assert.equal(r.status, 504, r.text)
  assert.equal(r.json().error.code, 'HANDLER_TIMEOUT')
  assert.equal((await t.webhook('h', '/plain')).status, 200)
})
