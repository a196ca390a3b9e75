// Ingress limits through a real host: per-webhook rate limits (429), requests in flight and async backlog (503), body limits (413), slow clients (408).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestHost, type TestHost } from '../../testing/index.js'
import { definePlugin } from '../../index.js'
import { RateLimiter } from './limits.js'
import { rawRequest } from '../../../test/fixtures/security/raw-http.js'

/** A gate that handlers wait on, opened by the test. */
function gate() {
  let open: () => void = () => undefined
  const promise = new Promise<void>((r) => (open = r))
  return { promise, open }
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400 && !condition(); i++) await new Promise((r) => setTimeout(r, 25))
  assert.ok(condition(), `timed out waiting for ${what}`)
}

test('a per-webhook rate limit answers 429 with Retry-After, refills with time, and can count clients apart', async () => {
  let clock = 1_700_000_000_000
  let runs = 0
  const p = definePlugin({
    name: 'rl',
    version: '1.0.0',
    setup(plugin) {
      plugin.mountWebhook('/shared', () => ({ n: ++runs }), { public: true, rateLimit: { requests: 3, per: 60_000 } })
      plugin.mountWebhook('/per-client', () => ({ n: ++runs }), { public: true, rateLimit: { requests: 1, per: 10_000, perClient: true } })
      plugin.mountWebhook('/free', () => ({ n: ++runs }), { public: true })
    },
  })
  const t = await createTestHost({ plugins: [p], now: () => clock, config: { server: { trustProxy: true } } })
  try {
    for (let i = 0; i < 3; i++) assert.equal((await t.webhook('rl', '/shared', { body: {} })).status, 200)
    const limited = await t.webhook('rl', '/shared', { body: {} })
    assert.equal(limited.status, 429, limited.text)
    assert.equal(limited.json().error.code, 'RATE_LIMITED')
    // 3 per minute: one request's worth comes back every 20 s.
    assert.equal(limited.headers.get('retry-after'), '20')
    assert.equal((await t.webhook('rl', '/free', { body: {} })).status, 200, 'other webhooks keep their own budget')
    clock += 20_000
    assert.equal((await t.webhook('rl', '/shared', { body: {} })).status, 200)
    assert.equal((await t.webhook('rl', '/shared', { body: {} })).status, 429)

    const from = (ip: string) => t.webhook('rl', '/per-client', { body: {}, headers: { 'x-forwarded-for': ip } })
    assert.equal((await from('203.0.113.1')).status, 200)
    assert.equal((await from('203.0.113.1')).status, 429)
    assert.equal((await from('203.0.113.2')).status, 200, 'another client has its own budget')
    assert.equal(runs, 7)
  } finally {
    await t.close()
  }
})

test('the rate limiter keeps its client table bounded and refuses nonsense options', () => {
  const limiter = new RateLimiter({ requests: 1, per: 1000, perClient: true })
  for (let i = 0; i < 25_000; i++) limiter.take(`client-${i}`, 0)
  assert.ok(limiter.size <= 10_000, `${limiter.size} buckets kept`)
  assert.throws(() => new RateLimiter({ requests: 0, per: 1000 }), /requests/)
  assert.throws(() => new RateLimiter({ requests: 1, per: -1 }), /per/)
})

test('requests in flight beyond server.maxInFlight get 503 with Retry-After', async () => {
  const hold = gate()
  let entered = 0
  const p = definePlugin({
    name: 'busy',
    version: '1.0.0',
    setup(plugin) {
      plugin.mountWebhook('/slow', async () => {
        entered++
        await hold.promise
        return { ok: true }
      }, { public: true })
    },
  })
  const t = await createTestHost({ plugins: [p], config: { server: { maxInFlight: 2 } } })
  try {
    const running = [t.webhook('busy', '/slow', { body: {} }), t.webhook('busy', '/slow', { body: {} })]
    await until(() => entered === 2, 'two handlers to run')
    const refused = await t.webhook('busy', '/slow', { body: {} })
    assert.equal(refused.status, 503, refused.text)
    assert.equal(refused.json().error.code, 'OVERLOADED')
    assert.ok(Number(refused.headers.get('retry-after')) >= 1)
    hold.open()
    for (const r of await Promise.all(running)) assert.equal(r.status, 200)
    assert.equal((await t.webhook('busy', '/slow', { body: {} })).status, 200, 'capacity comes back')
  } finally {
    hold.open()
    await t.close()
  }
})

test('async deliveries beyond inbox.maxBacklog get 503 with Retry-After, and are accepted again once it drains', async () => {
  const hold = gate()
  let runs = 0
  const p = definePlugin({
    name: 'queue',
    version: '1.0.0',
    setup(plugin) {
      plugin.mountWebhook('/job', async () => {
        runs++
        await hold.promise
      }, { public: true, mode: 'async' })
    },
  })
  const t = await createTestHost({ plugins: [p], config: { inbox: { maxBacklog: 2 } } })
  try {
    assert.equal((await t.webhook('queue', '/job', { body: { n: 1 } })).status, 202)
    assert.equal((await t.webhook('queue', '/job', { body: { n: 2 } })).status, 202)
    const full = await t.webhook('queue', '/job', { body: { n: 3 } })
    assert.equal(full.status, 503, full.text)
    assert.equal(full.json().error.code, 'OVERLOADED')
    assert.ok(Number(full.headers.get('retry-after')) >= 1)
    hold.open()
    await until(() => t.host.inbox.backlog === 0, 'the backlog to drain')
    assert.equal((await t.webhook('queue', '/job', { body: { n: 4 } })).status, 202)
    await until(() => runs === 3, 'the last job')
    assert.equal(runs, 3, 'the refused delivery was never run')
  } finally {
    hold.open()
    await t.close()
  }
})

test('per-webhook body limits (declared and streamed) answer 413, and a client that stalls gets 408', async () => {
  let runs = 0
  const p = definePlugin({
    name: 'size',
    version: '1.0.0',
    setup(plugin) {
      plugin.mountWebhook('/small', () => ({ n: ++runs }), { public: true, bodyLimit: 100 })
      plugin.mountWebhook('/default', () => ({ n: ++runs }), { public: true })
    },
  })
  const t: TestHost = await createTestHost({ plugins: [p], config: { server: { bodyLimit: 1000, requestTimeout: 1000 } } })
  const port = Number(new URL(t.url).port)
  try {
    assert.equal((await t.webhook('size', '/small', { body: 'x'.repeat(100) })).status, 200)
    const declared = await t.webhook('size', '/small', { body: 'x'.repeat(101) })
    assert.equal(declared.status, 413, declared.text)
    assert.equal((await t.webhook('size', '/default', { body: 'x'.repeat(1001) })).status, 413, 'server.bodyLimit applies by default')
    const chunk = 'a'.repeat(80)
    const streamed = await rawRequest(
      port,
      `POST /api/plugin/size/webhook/small HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n50\r\n${chunk}\r\n50\r\n${chunk}\r\n0\r\n\r\n`,
    )
    assert.equal(streamed.status, 413, streamed.body)
    // Announces 100 bytes, sends 10, then nothing: the server answers 408 instead of waiting for ever.
    const stalled = await rawRequest(port, 'POST /api/plugin/size/webhook/small HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789', 10_000, true)
    assert.equal(stalled.status, 408, stalled.body)
    assert.equal(runs, 1)
  } finally {
    await t.close()
  }
})
