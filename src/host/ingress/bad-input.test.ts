// Bad input against a real host: body limits, broken JSON, wrong types, odd methods, path tricks, header floods, slow and
// malformed clients. Each gets a clear 4xx, no handler runs, the host keeps serving, and nothing lands outside the data dir.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { connect } from 'node:net'
import { join } from 'node:path'
import { createTestHost, type TestHost } from '../../testing/index.js'
import { snapshotTree } from '../../testing/helpers.js'
import { definePlugin } from '../../index.js'
import { rawPost, rawRequest } from '../../../test/fixtures/security/raw-http.js'

let runs = 0
const plugin = definePlugin({
  name: 'bad',
  version: '1.0.0',
  setup(p) {
    const count = async (req: { raw: Buffer }) => {
      runs++
      return { size: req.raw.length }
    }
    p.mountWebhook('/default', count, { public: true })
    p.mountWebhook('/small', count, { public: true, bodyLimit: 1024 })
    p.mountWebhook('/json', count, { public: true, requireJson: true })
    p.mountWebhook('/typed', count, { public: true, accepts: ['application/json'] })
    p.mountWebhook('/deep/:name', count, { public: true })
  },
})

let t: TestHost
let port: number
let before_: string[]

function outside(): string[] {
  return snapshotTree(t.dir, [join(t.dir, 'data'), join(t.dir, 'hookcat.db')])
}

before(async () => {
  t = await createTestHost({ plugins: [plugin], config: { server: { requestTimeout: 2000 } } })
  port = Number(new URL(t.url).port)
  before_ = outside()
})
after(async () => {
  assert.deepEqual(outside(), before_, 'nothing was written in the test folder outside the data directory and the database')
  await t.close()
})

async function stillServing(): Promise<void> {
  const r = await t.webhook('bad', '/default', { body: { ok: 1 } })
  assert.equal(r.status, 200, `the host still serves: ${r.text}`)
}

/** A body fetch sends with Transfer-Encoding: chunked (no Content-Length), one chunk per buffer. */
function chunked(path: string, chunks: Buffer[]): Promise<Response> {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(new Uint8Array(c))
      controller.close()
    },
  })
  return fetch(`${t.url}${path}`, { method: 'POST', body, duplex: 'half' } as RequestInit)
}

test('bodies over the limit get 413, with Content-Length and with chunked transfer; the default limit is 1 MiB', async () => {
  const start = runs
  const atLimit = await t.webhook('bad', '/default', { body: new Uint8Array(1024 * 1024), headers: { 'content-type': 'application/octet-stream' } })
  assert.equal(atLimit.status, 200, 'exactly 1 MiB is accepted')
  const over = await t.webhook('bad', '/default', { body: new Uint8Array(1024 * 1024 + 1), headers: { 'content-type': 'application/octet-stream' } })
  assert.equal(over.status, 413, over.text)
  assert.equal(over.json().error.code, 'BODY_TOO_LARGE')
  const small = await rawPost(port, '/api/plugin/bad/webhook/small', [], Buffer.alloc(1025, 1))
  assert.equal(small.status, 413, small.body)
  const streamed = await chunked('/api/plugin/bad/webhook/small', [Buffer.alloc(600, 1), Buffer.alloc(600, 2)])
  assert.equal(streamed.status, 413, await streamed.text())
  const streamedOk = await chunked('/api/plugin/bad/webhook/small', [Buffer.alloc(500, 1), Buffer.alloc(500, 2)])
  assert.equal(streamedOk.status, 200)
  assert.deepEqual(await streamedOk.json(), { size: 1000 })
  assert.equal(runs - start, 2, 'only the two bodies within their limit reached the handler')
  await stillServing()
})

test('invalid or truncated JSON with requireJson is 400; a wrong or missing content type with accepts is 415', async () => {
  const start = runs
  for (const body of ['{"a":', '{"a":1', 'not json', '', '{"a":1}}', '\u0000']) {
    const r = await t.webhook('bad', '/json', { body, headers: { 'content-type': 'application/json' } })
    assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`)
    assert.equal(r.json().error.code, 'INVALID_JSON')
  }
  // The client promised more bytes than it sent and closed: the handler never runs.
  const cut = await rawRequest(port, 'POST /api/plugin/bad/webhook/json HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"a":')
  assert.ok(cut.status === 0 || (cut.status >= 400 && cut.status < 500), `${cut.status} ${cut.body}`)
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', undefined]) {
    const r = await t.webhook('bad', '/typed', { body: '{}', headers: type ? { 'content-type': type } : {} })
    assert.equal(r.status, 415, `${type}: ${r.text}`)
    assert.equal(r.json().error.code, 'UNSUPPORTED_MEDIA_TYPE')
  }
  assert.equal((await t.webhook('bad', '/typed', { body: {}, headers: { 'content-type': 'Application/JSON; charset=utf-8' } })).status, 200)
  assert.equal(runs - start, 1)
  await stillServing()
})

test('unknown methods are refused: 405 for methods node knows, 400 for ones it cannot parse', async () => {
  const start = runs
  for (const method of ['PURGE', 'PROPFIND', 'LOCK', 'REPORT']) {
    const r = await t.webhook('bad', '/default', { method })
    assert.equal(r.status, 405, `${method}: ${r.text}`)
    assert.equal(r.headers.get('allow'), 'POST')
  }
  const brew = await rawRequest(port, 'BREW /api/plugin/bad/webhook/default HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n')
  assert.equal(brew.status, 400, brew.body)
  assert.equal(runs, start)
  await stillServing()
})

test('path tricks get a 4xx before any handler runs', async () => {
  const start = runs
  const base = '/api/plugin/bad/webhook'
  const cases: Array<[string, number]> = [
    [`${base}/deep/../default`, 400],
    [`${base}/../../admin/api`, 400],
    [`${base}/deep/%2e%2e/default`, 400],
    [`${base}/deep/%2E%2E`, 400],
    [`${base}/deep/.`, 400],
    [`${base}/deep/a%2fb`, 400],
    [`${base}/deep/a%2Fb`, 400],
    [`${base}/deep/a%5cb`, 400],
    [`${base}/deep/a%00b`, 400],
    [`${base}/deep/a\\b`, 400],
    [`${base}/deep/%zz`, 400],
    [`${base}/deep/%c0%ae%c0%ae`, 400],
    [`${base}/deep/a%0d%0aSet-Cookie:x`, 400],
    ['/api/plugin/../plugin/bad/webhook/default', 404],
    ['/api/plugin/BAD/webhook/default', 404],
    ['/api/plugin/bad%2fx/webhook/default', 404],
    [`${base}/${'a/'.repeat(1100)}x`, 414],
    [`${base}/default?${'q=1&'.repeat(2500)}`, 414],
  ]
  for (const [path, status] of cases) {
    const r = await rawRequest(port, `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}`)
    assert.equal(r.status, status, `${path.slice(0, 80)}: ${r.status} ${r.body.slice(0, 200)}`)
    assert.ok(JSON.parse(r.body).error.code, `${path.slice(0, 80)} answers a JSON error`)
  }
  assert.equal(runs, start, 'no handler ran')
  await stillServing()
})

test('header floods get 431 and the host keeps serving', async () => {
  const start = runs
  const many = await rawPost(port, '/api/plugin/bad/webhook/default', Array.from({ length: 400 }, (_, i): [string, string] => [`x-flood-${i}`, 'v']), '{}')
  assert.equal(many.status, 431, many.body)
  const huge = await rawPost(port, '/api/plugin/bad/webhook/default', [['x-huge', 'h'.repeat(64 * 1024)]], '{}')
  assert.equal(huge.status, 431, huge.body)
  assert.equal(runs, start)
  await stillServing()
})

/** Writes the bytes and then stalls (never ends its side); resolves with what the server sent once it closes the connection. */
function stall(bytes: string, limitMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let text = ''
    const guard = setTimeout(() => {
      socket.destroy()
      reject(new Error(`the stalled connection was still open after ${limitMs} ms`))
    }, limitMs)
    socket.on('data', (c) => (text += c.toString('latin1')))
    socket.on('error', () => undefined)
    socket.on('close', () => {
      clearTimeout(guard)
      resolve(text)
    })
    socket.write(bytes)
  })
}

test('a client that sends its headers and then stalls the body, or never ends its headers, is cut off by the request timeout', async () => {
  const start = runs
  const body = await stall('POST /api/plugin/bad/webhook/default HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"partial":')
  assert.match(body, /^HTTP\/1\.1 408 /, body.slice(0, 200))
  const head = await stall('POST /api/plugin/bad/webhook/default HTTP/1.1\r\nHost: x\r\n')
  assert.match(head, /^HTTP\/1\.1 408 /, head.slice(0, 200))
  assert.equal(runs, start)
  await stillServing()
})

test('malformed HTTP on a raw socket gets 400 and the host keeps serving', async () => {
  const start = runs
  for (const junk of ['\u0016\u0003\u0001\u0000\u00a5\u0001\u0000', 'GARBAGE\r\n\r\n', 'POST /api/plugin/bad/webhook/default HTTP/9.9\r\n\r\n', 'POST  HTTP/1.1\r\n\r\n']) {
    const r = await rawRequest(port, junk)
    assert.equal(r.status, 400, `${JSON.stringify(junk)}: ${r.status} ${r.body}`)
  }
  assert.equal(runs, start)
  await stillServing()
})
