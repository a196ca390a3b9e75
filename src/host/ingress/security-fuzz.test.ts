// Property-based fuzzing (fast-check) of headers and bodies against a real host: never a 5xx, never a crash, never a handler run unverified.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { createTestHost, type TestHost } from '../../testing/index.js'
import { routes, securityConfig, securityPlugin, validHeaders, GRAFANA_TS, type SecurityFixture } from '../../../test/fixtures/security/plugin.js'
import { rawPost } from '../../../test/fixtures/security/raw-http.js'

const PATHS = Object.keys(routes())
/** Routes whose signature covers the body: changing one body byte must be refused. */
const SIGNS_BODY = PATHS.filter((p) => !['/gitlab-token', '/bearer', '/basic', '/url'].includes(p))
/** The headers the verifiers read, so that the fuzzer spends its time where the parsing is. */
const NAMES = [
  'x-hub-signature-256', 'x-hub-signature', 'x-gitea-signature', 'x-forgejo-signature', 'x-gitlab-token', 'webhook-id', 'webhook-timestamp',
  'webhook-signature', 'svix-id', 'svix-timestamp', 'svix-signature', 'stripe-signature', 'x-grafana-alerting-signature', 'x-grafana-alert-signature',
  GRAFANA_TS.toLowerCase(), 'x-signature', 'x-sig', 'x-timestamp', 'x-hook-signature', 'authorization', 'x-github-delivery', 'idempotency-key', 'content-type',
]

let t: TestHost
let port: number
let sync: SecurityFixture
let async: SecurityFixture

before(async () => {
  sync = securityPlugin('sec')
  async = securityPlugin('seca', { mode: 'async' })
  t = await createTestHost({ plugins: [sync.plugin, async.plugin], config: { plugins: { ...securityConfig('sec').plugins, ...securityConfig('seca').plugins } } })
  port = Number(new URL(t.url).port)
})
after(() => t.close())

/** Printable Latin-1 without DEL: every byte fetch() lets through in a header value. */
const latin1 = fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c))
/** Values shaped like credentials (prefixes, digests, lists) as well as noise. */
const value = fc.oneof(
  fc.string({ unit: latin1, maxLength: 120 }),
  fc.tuple(fc.constantFrom('sha256=', 'sha1=', 'v1,', 'v1=', 't=', 'Bearer ', 'Basic ', 'SHA256=', ''), fc.oneof(fc.base64String({ maxLength: 100 }), fc.stringMatching(/^[0-9a-f]{0,130}$/))).map(([p, s]) => p + s),
  fc.array(fc.tuple(fc.constantFrom('t', 'v1', 'v0', 'x'), fc.stringMatching(/^[0-9a-f]{0,64}$/)), { maxLength: 5 }).map((kv) => kv.map(([k, v]) => `${k}=${v}`).join(',')),
  fc.array(fc.base64String({ maxLength: 48 }).map((s) => `v1,${s}`), { maxLength: 5 }).map((l) => l.join(' ')),
  fc.integer({ min: -1e12, max: 1e13 }).map(String),
)
const headers = fc.dictionary(fc.oneof(fc.constantFrom(...NAMES), fc.stringMatching(/^x-[a-z0-9-]{1,20}$/)), value, { maxKeys: 8 })
const body = fc.oneof(fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b)), fc.json().map((j) => Buffer.from(j)), fc.string({ maxLength: 200 }).map((s) => Buffer.from(s)))
const route = fc.tuple(fc.constantFrom('sec', 'seca'), fc.constantFrom(...PATHS))

function assertRefused(status: number, what: string, text: string): void {
  assert.ok(status >= 400 && status <= 499, `${what}: ${status} ${text.slice(0, 200)}`)
}

test('random headers and bodies: always a 4xx, never a handler run', async () => {
  await fc.assert(
    fc.asyncProperty(route, headers, body, fc.option(fc.string({ maxLength: 40 }), { nil: undefined }), async ([plugin, path], h, b, token) => {
      const query = token === undefined ? '' : `?${new URLSearchParams({ token })}`
      const r = await t.request(`/api/plugin/${plugin}/webhook${path}${query}`, { method: 'POST', headers: h, body: b })
      assertRefused(r.status, `${plugin}${path} ${JSON.stringify(h)}`, r.text)
    }),
    { numRuns: 250 },
  )
  assert.equal(sync.total() + async.total(), 0)
})

test('a valid request with one body byte changed, inserted or removed: refused by every body-signing scheme', async () => {
  const original = Buffer.from('{"action":"closed","pull_request":{"number":7,"title":"修正 🐛"}}')
  let n = 0
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...SIGNS_BODY),
      fc.nat({ max: original.length - 1 }),
      fc.integer({ min: 1, max: 255 }),
      fc.constantFrom('flip', 'insert', 'remove'),
      async (path, at, x, how) => {
        const signed = validHeaders(path, original, Date.now(), `fuzz-${n++}`)
        const b = Buffer.from(original)
        const mutated = how === 'flip' ? ((b[at] ^= x), b) : how === 'insert' ? Buffer.concat([b.subarray(0, at), Buffer.from([x]), b.subarray(at)]) : Buffer.concat([b.subarray(0, at), b.subarray(at + 1)])
        const r = await t.request(`/api/plugin/sec/webhook${path}`, { method: 'POST', headers: signed.headers, body: mutated })
        assert.equal(r.status, 401, `${path} ${how} at ${at}: ${r.text}`)
      },
    ),
    { numRuns: 120 },
  )
  assert.equal(sync.total(), 0)
})

test('raw header bytes, control characters included, straight to the socket: never a 5xx and never a dropped connection', async () => {
  const anyByte = fc.integer({ min: 0, max: 0xff }).map((c) => String.fromCharCode(c))
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...PATHS),
      fc.array(fc.tuple(fc.constantFrom(...NAMES), fc.string({ unit: anyByte, maxLength: 80 })), { maxLength: 4 }),
      fc.uint8Array({ maxLength: 200 }),
      async (path, pairs, b) => {
        const r = await rawPost(port, `/api/plugin/sec/webhook${path}`, pairs, Buffer.from(b))
        assertRefused(r.status, `${path} ${JSON.stringify(pairs)}`, r.body)
      },
    ),
    { numRuns: 120 },
  )
  assert.equal(sync.total(), 0)
  assert.equal((await t.request('/healthz')).status, 200)
  assert.ok(!t.logs.some((l) => l.msg === 'ingress failed'), 'no request ended in an unexpected error')
})
