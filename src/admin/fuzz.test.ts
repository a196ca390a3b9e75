// Issue 13.7: the admin API answers 2xx/4xx to any body framing (Content-Length, chunked, none) and to fuzzed routes,
// methods, bodies and headers (fast-check over real HTTP): never a 5xx, never an "admin request failed" stack in the log.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { request } from 'node:http'
import fc from 'fast-check'
import type { TestHost } from '../testing/index.js'
import { openApiDocument } from './openapi.js'
import { demoHost } from './test-fixtures/fixtures.js'

let t: TestHost
let port: number
before(async () => {
  t = await demoHost()
  port = Number(new URL(t.url).port)
})
after(() => t.close())

type Framing = 'length' | 'chunked' | 'none'

/** One request with the framing given; answers the status (an SSE answer is closed as soon as its head is in). */
function send(method: string, path: string, headers: Record<string, string>, body: Buffer | undefined, framing: Framing): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const all: Record<string, string> = { ...headers }
    if (framing === 'length') all['content-length'] = String(body?.length ?? 0)
    // A fresh connection each time: a reused one the server has just closed would fail on our side, not the server's.
    const req = request({ host: '127.0.0.1', port, method, path, headers: all, timeout: 10_000, agent: false }, (res) => {
      if (String(res.headers['content-type']).startsWith('text/event-stream')) {
        res.destroy()
        resolve({ status: res.statusCode ?? 0, text: '' })
        return
      }
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
    })
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in 10 s`)))
    req.on('error', reject)
    // "none": no Content-Length and no body — node sends such a request chunked with only the terminating chunk.
    if (framing === 'chunked' && body) {
      // Split in two, so that the body really arrives in more than one chunk.
      req.write(body.subarray(0, Math.floor(body.length / 2)))
      req.write(body.subarray(Math.floor(body.length / 2)))
    }
    req.end(framing === 'length' ? body : undefined)
  })
}

const auth = () => ({ authorization: `Bearer ${t.adminToken}` })

test('a POST without Content-Length, or with a chunked body, is handled like any other', async () => {
  const body = Buffer.from(JSON.stringify({ chatKey: 'web-framing', message: 'chunked hello' }))
  for (const framing of ['chunked', 'length', 'none'] as const) {
    const r = await send('POST', '/api/admin/send', { ...auth(), 'content-type': 'application/json' }, framing === 'none' ? undefined : body, framing)
    assert.ok(r.status === 202 || (framing === 'none' && r.status === 400), `${framing}: ${r.status} ${r.text}`)
  }
  const big = Buffer.alloc(1024 * 1024 + 10, 'a')
  assert.equal((await send('POST', '/api/admin/send', auth(), big, 'chunked')).status, 413)
  assert.equal((await send('POST', '/api/admin/send', auth(), big, 'length')).status, 413)
  assert.equal(t.logs.filter((l) => l.msg === 'admin request failed').length, 0)
})

/** Every documented route, its {params} filled in with whatever the fuzzer picks. */
const ROUTES = Object.keys(openApiDocument().paths as Record<string, unknown>)
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD']
const segment = fc.oneof(fc.constantFrom('demo', 'alerts', 'nope', '..', '%2e%2e', '%00', 'web-alerts', '1', '-1', 'a'.repeat(300)), fc.stringMatching(/^[A-Za-z0-9_.~%-]{1,40}$/))
const queryPart = fc.oneof(
  fc.constant(''),
  fc.dictionary(fc.constantFrom('limit', 'before', 'plugin', 'status', 'state', 'since', 'until', 'text', 'after', 'ticket', 'chatKey'), fc.oneof(fc.string({ maxLength: 20 }), fc.integer().map(String)), { maxKeys: 4 }).map((q) => `?${new URLSearchParams(q)}`),
)
const json = fc.oneof(
  fc.json({ maxDepth: 3 }),
  fc.record({ chatKey: fc.oneof(fc.constantFrom('web-fuzz', 'test-x', 'nope-1', ''), fc.string()), message: fc.oneof(fc.string({ maxLength: 50 }), fc.object({ maxDepth: 2 })) }).map((v) => JSON.stringify(v)),
  fc.record({ ids: fc.array(fc.string({ maxLength: 30 }), { maxLength: 5 }) }).map((v) => JSON.stringify(v)),
  fc.record({ enabled: fc.oneof(fc.boolean(), fc.string()) }).map((v) => JSON.stringify(v)),
  fc.record({ stream: fc.constantFrom('/events', '/web/rooms/alerts/stream', '/plugins', '') }).map((v) => JSON.stringify(v)),
)
const body = fc.oneof(fc.constant(undefined), json.map((s) => Buffer.from(s)), fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)), fc.string({ maxLength: 200 }).map((s) => Buffer.from(s)))
const headers = fc.record(
  {
    'content-type': fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', ''),
    accept: fc.constantFrom('*/*', 'text/event-stream', 'application/json'),
    'x-forwarded-for': fc.constantFrom('1.2.3.4', 'nonsense'),
    'last-event-id': fc.oneof(fc.integer().map(String), fc.constantFrom('x', '')),
  },
  { requiredKeys: [] },
)

test('fuzzed routes × methods × bodies × headers × framings: the admin API never answers 5xx', async () => {
  let cases = 0
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...ROUTES), fc.array(segment, { minLength: 3, maxLength: 3 }), fc.constantFrom(...METHODS), queryPart, body, headers, fc.constantFrom<Framing>('length', 'chunked', 'none'), fc.boolean(),
      async (route, segments, method, query, payload, extra, framing, authorised) => {
        cases++
        let i = 0
        const path = `${route.replace(/\{[^}]+\}/g, () => segments[i++])}${query}`
        const clean = Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== ''))
        const withBody = method === 'GET' || method === 'HEAD' ? undefined : payload
        const r = await send(method, path, { ...clean, ...(authorised ? auth() : {}) }, withBody, withBody ? framing : 'length')
        assert.ok(r.status >= 200 && r.status < 500, `${method} ${path} (${framing}): ${r.status} ${r.text.slice(0, 300)}`)
      }),
    { numRuns: 400, seed: 13_007 },
  )
  process.stdout.write(`# admin fuzz: ${cases} cases over ${ROUTES.length} routes\n`)
  assert.equal(t.logs.filter((l) => l.msg === 'admin request failed').length, 0)
})
