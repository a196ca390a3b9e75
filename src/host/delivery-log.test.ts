// The delivery log through a real host: every webhook request recorded with its details, credentials masked, and pruned
// by count and by age.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestHost, type TestHost } from '../testing/index.js'
import { waitFor } from '../testing/helpers.js'
import { definePlugin } from '../index.js'
import type { DeliveryRow } from '../storage/types.js'

const plugin = definePlugin({
  name: 'log',
  version: '1.0.0',
  setup(p) {
    p.mountWebhook('/ok/:id', async (req) => ({ id: req.deliveryId, got: await req.json() }), { public: true, methods: ['POST', 'PUT'] })
    p.mountWebhook('/broken', () => {
      throw new Error('the handler broke on purpose')
    }, { public: true })
    p.mountWebhook('/strict', () => ({}), { public: true, requireJson: true })
    p.mountWebhook('/typed', () => ({}), { public: true, accepts: ['application/json'], bodyLimit: 16 })
    p.mountWebhook('/stuck', () => {
      throw new Error('down for a while')
    }, { public: true, mode: 'async' })
  },
})

let t: TestHost
before(async () => {
  t = await createTestHost({ plugins: [plugin], config: { retention: { maxDeliveries: 1000, maxAge: '1h', storeBodyLimit: '1kb' } } })
})
after(() => t.close())

async function newest(filter: (d: DeliveryRow) => boolean): Promise<DeliveryRow> {
  const found = (await t.host.storage.listDeliveries({ plugin: 'log', limit: 100 })).find(filter)
  assert.ok(found, 'the delivery is in the log')
  return found
}

test('a handled request is recorded with id, plugin, route, path, method, masked headers, raw body, status, response and duration', async () => {
  const body = '{"hello":  "world"}'
  const secretHeaders = {
    authorization: 'Bearer very-secret-bearer',
    cookie: 'session=very-secret-cookie',
    'x-hub-signature-256': 'sha256=' + 'a'.repeat(64),
    'x-gitlab-token': 'very-secret-gitlab',
    'x-api-key': 'very-secret-apikey',
  }
  const r = await t.webhook('log', '/ok/7', { method: 'PUT', body, headers: { 'content-type': 'application/json', 'x-event': 'push', ...secretHeaders }, query: { a: 'b', token: 'very-secret-query' } })
  assert.equal(r.status, 200, r.text)
  const row = (await t.host.storage.getDelivery(r.json().id))!
  assert.equal(row.plugin, 'log')
  assert.equal(row.route, '/ok/:id')
  assert.equal(row.path, '/ok/7')
  assert.equal(row.method, 'PUT')
  assert.equal(row.mode, 'sync')
  assert.equal(row.status, 'done')
  assert.equal(row.responseStatus, 200)
  assert.deepEqual(JSON.parse(row.responseBody ?? ''), { id: row.id, got: { hello: 'world' } })
  assert.equal(row.body?.toString('utf8'), body)
  assert.equal(row.bodySize, Buffer.byteLength(body))
  assert.equal(row.error, null)
  assert.equal(typeof row.durationMs, 'number')
  assert.ok(row.finishedAt !== null && row.finishedAt >= row.receivedAt)
  assert.equal(row.headers['x-event'], 'push')
  for (const name of Object.keys(secretHeaders)) assert.equal(row.headers[name], '[redacted]', `${name} is masked`)
  assert.match(row.query, /a=b/)
  assert.doesNotMatch(JSON.stringify(row), /very-secret/, 'no credential is stored in clear')
})

test('a failing handler is recorded as failed with its error (kept for the operator, not sent to the client)', async () => {
  const r = await t.webhook('log', '/broken', { body: {} })
  assert.equal(r.status, 500)
  const row = await newest((d) => d.path === '/broken')
  assert.equal(row.status, 'failed')
  assert.equal(row.responseStatus, 500)
  assert.match(row.error ?? '', /the handler broke on purpose/)
  assert.doesNotMatch(r.text, /broke on purpose/)
})

test('a refused request is recorded as rejected with its status and without its body', async () => {
  const r = await t.webhook('log', '/strict', { body: 'not json', headers: { 'content-type': 'application/json' } })
  assert.equal(r.status, 400)
  // A refusal is recorded after the answer (nothing was acknowledged), so the test waits for it.
  const row = await waitFor(
    async () => (await t.host.storage.listDeliveries({ plugin: 'log', status: 'rejected', limit: 10 })).find((d) => d.path === '/strict'),
    'the refusal in the log',
  )
  assert.equal(row.responseStatus, 400)
  assert.equal(row.body, null)
  assert.match(row.error ?? '', /INVALID_JSON/)
})

test('requests refused before the body is read (405, 415, 413) are recorded as rejected too', async () => {
  const refusals: Array<[number, string, () => Promise<unknown>]> = [
    [405, 'GET', () => t.webhook('log', '/typed', { method: 'GET' })],
    [415, 'POST', () => t.webhook('log', '/typed', { body: 'x', headers: { 'content-type': 'text/plain' } })],
    [413, 'POST', () => t.webhook('log', '/typed', { body: { pad: 'x'.repeat(100) } })],
  ]
  for (const [status, method, send] of refusals) {
    await send()
    const row = await waitFor(
      async () => (await t.host.storage.listDeliveries({ plugin: 'log', status: 'rejected', limit: 50 })).find((d) => d.path === '/typed' && d.responseStatus === status),
      `the ${status} in the log`,
    )
    assert.equal(row.method, method)
    assert.equal(row.route, '/typed')
    assert.equal(row.body, null)
  }
})

test('bodies beyond retention.storeBodyLimit are kept truncated in the log while the handler saw them whole', async () => {
  const big = { pad: 'x'.repeat(3000) }
  const r = await t.webhook('log', '/ok/big', { body: big })
  assert.equal(r.status, 200)
  assert.equal(r.json().got.pad.length, 3000)
  const row = (await t.host.storage.getDelivery(r.json().id))!
  assert.equal(row.bodySize, JSON.stringify(big).length)
  assert.equal(row.body?.length, 1024)
})

test('retention: prune() keeps the newest maxDeliveries and drops those older than maxAge, but never unfinished async work', async () => {
  const fresh = await createTestHost({ plugins: [plugin], config: { retention: { maxDeliveries: 3, maxAge: '1h' }, inbox: { backoffBase: '1h' } } })
  try {
    // The oldest delivery is async and waits an hour for its retry: unfinished work is never pruned.
    const stuck = (await fresh.webhook('log', '/stuck', { body: {} })).json().id
    await waitFor(async () => (await fresh.host.storage.getDelivery(stuck))?.attempts === 1, 'the first attempt to fail')
    const ids: string[] = []
    for (let i = 0; i < 6; i++) ids.push((await fresh.webhook('log', `/ok/${i}`, { body: { i } })).json().id)
    assert.equal((await fresh.host.storage.listDeliveries({ plugin: 'log' })).length, 7)
    const pruned = await fresh.host.prune()
    assert.equal(pruned, 3)
    const kept = (await fresh.host.storage.listDeliveries({ plugin: 'log' })).map((d) => d.id)
    assert.deepEqual(kept.sort(), [stuck, ...ids.slice(3)].sort(), 'the newest three and the unfinished one are kept')
    // Two hours later every finished delivery is older than maxAge.
    await fresh.clock.advance(2 * 3_600_000)
    assert.equal(await fresh.host.prune(), 3)
    assert.deepEqual((await fresh.host.storage.listDeliveries({ plugin: 'log' })).map((d) => d.id), [stuck])
  } finally {
    await fresh.close()
  }
})
