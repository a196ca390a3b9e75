// The bad-input corpus against a real host: hundreds of wrong credentials, timestamps, bodies and headers; all 4xx, no handler run.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestHost, type TestHost } from '../../testing/index.js'
import { routes, securityConfig, securityPlugin, validHeaders, type SecurityFixture } from '../../../test/fixtures/security/plugin.js'
import { badCases } from '../../../test/fixtures/security/corpus.js'
import { rawPost, rawRequest } from '../../../test/fixtures/security/raw-http.js'

let t: TestHost
let port: number
let sec: SecurityFixture

before(async () => {
  sec = securityPlugin('sec')
  t = await createTestHost({ plugins: [sec.plugin], config: securityConfig('sec') })
  port = Number(new URL(t.url).port)
})
after(() => t.close())

async function sendCase(path: string, headers: Record<string, string>, body: Buffer, query: string | undefined, raw: boolean) {
  const url = `/api/plugin/sec/webhook${path}${query ? `?${query}` : ''}`
  if (raw) {
    const r = await rawPost(port, url, Object.entries({ 'content-type': 'application/json', ...headers }), body)
    return { status: r.status, text: r.body }
  }
  const r = await t.request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })
  return { status: r.status, text: r.text }
}

/** Runs the tasks with at most `width` in flight. */
async function pool<T>(items: T[], width: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await run(items[next++])
  }))
}

test('at least 200 generated bad requests are all refused with a 4xx, and no handler runs', async () => {
  const cases = badCases(Date.now())
  assert.ok(cases.length >= 200, `the corpus has ${cases.length} cases`)
  const wrong: string[] = []
  const statuses = new Map<number, number>()
  await pool(cases, 8, async (c) => {
    const r = await sendCase(c.path, c.headers, c.body, c.query, !!c.raw)
    statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1)
    if (r.status < 400 || r.status > 499) wrong.push(`${c.name}: ${r.status} ${r.text.slice(0, 160)}`)
  })
  assert.deepEqual(wrong, [])
  assert.equal(sec.total(), 0, 'no handler ran on a refused request')
  // Both kinds of refusal occur: malformed (400) and wrong or missing (401).
  assert.ok((statuses.get(400) ?? 0) > 20 && (statuses.get(401) ?? 0) > 20, JSON.stringify([...statuses]))
  assert.ok(!t.logs.some((l) => l.msg === 'ingress failed'), 'no request ended in an unexpected error')
})

test('huge and malformed request heads get 400 or 431 from the server, and it keeps serving', async () => {
  const path = '/api/plugin/sec/webhook/github'
  const big = await rawPost(port, path, [['x-filler', 'a'.repeat(17 * 1024)]], '{}')
  assert.equal(big.status, 431, big.body)
  const many = await rawPost(port, path, Array.from({ length: 250 }, (_, i): [string, string] => [`x-h${i}`, 'v']), '{}')
  assert.equal(many.status, 431, many.body)
  assert.equal(JSON.parse(many.body).error.code, 'HEADERS_TOO_LARGE')
  // Exactly at the limit (with Host, Connection, Content-Length): refused only for its missing signature.
  const limit = await rawPost(port, path, Array.from({ length: 197 }, (_, i): [string, string] => [`x-h${i}`, 'v']), '{}')
  assert.equal(limit.status, 401, limit.body)
  const heads: Array<[string, string]> = [
    ['space in a header name', 'POST /api/plugin/sec/webhook/github HTTP/1.1\r\nHost: x\r\nBad Name: 1\r\nContent-Length: 0\r\n\r\n'],
    ['NUL in a header value', 'POST /api/plugin/sec/webhook/github HTTP/1.1\r\nHost: x\r\nX-Hub-Signature-256: sha256=\0\r\nContent-Length: 0\r\n\r\n'],
    ['two different Content-Lengths', 'POST /api/plugin/sec/webhook/github HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}'],
    ['Content-Length with Transfer-Encoding', 'POST /api/plugin/sec/webhook/github HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
    ['broken chunked body', 'POST /api/plugin/sec/webhook/github HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\nab\r\n0\r\n\r\n'],
    ['folded header line', 'POST /api/plugin/sec/webhook/github HTTP/1.1\r\nHost: x\r\nX-Hub-Signature-256: sha256=\r\n  abc\r\nContent-Length: 0\r\n\r\n'],
    ['no HTTP version', 'POST /api/plugin/sec/webhook/github\r\n\r\n'],
    ['negative Content-Length', 'POST /api/plugin/sec/webhook/github HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n'],
    ['header without a colon', 'POST /api/plugin/sec/webhook/github HTTP/1.1\r\nHost: x\r\nX-Hub-Signature-256\r\nContent-Length: 0\r\n\r\n'],
    ['a huge request line', `POST /api/plugin/sec/webhook/github?${'q'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n`],
  ]
  for (const [name, head] of heads) {
    const r = await rawRequest(port, head)
    assert.ok(r.status >= 400 && r.status <= 499, `${name}: ${r.status} ${r.body.slice(0, 160)}`)
  }
  assert.equal(sec.total(), 0)
  assert.equal((await t.request('/healthz')).status, 200)
})

test('after the corpus, every route still accepts its real sender (the corpus tested live routes)', async () => {
  const body = Buffer.from('{"ok":true}')
  for (const path of Object.keys(routes())) {
    const signed = validHeaders(path, body, Date.now(), `after-${path}`)
    const r = await sendCase(path, signed.headers, body, signed.query, false)
    assert.equal(r.status, 200, `${path}: ${r.text}`)
  }
  assert.equal(sec.total(), Object.keys(routes()).length)
})
