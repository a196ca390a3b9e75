// Idempotency under concurrency: one delivery id fired 50 times at once runs the handler exactly once (sync and async), by header or JSON field.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { createTestHost, type TestHost } from '../../testing/index.js'
import { definePlugin, secret, verify, z } from '../../index.js'
import { validHeaders, SECRETS } from '../../../test/fixtures/security/plugin.js'

const SECRET = 'dedup-secret-Gh7Jk2Lm9'
const runs = new Map<string, number>()
const count = (key: string) => runs.set(key, (runs.get(key) ?? 0) + 1)

/** A gate the sync handler waits on, so that all 50 requests are in flight while the first one runs. */
let release: () => void = () => undefined
let gate = Promise.resolve()
function closeGate(): void {
  gate = new Promise((r) => (release = r))
}

const plugin = definePlugin({
  name: 'dedup',
  version: '1.0.0',
  config: z.object({ gh: secret(z.string()), std: secret(z.string()) }),
  setup(p) {
    p.mountWebhook('/sync', async () => {
      count('sync')
      await gate
      return { handled: true }
    }, { verify: verify.github('gh') })
    p.mountWebhook('/async', () => {
      count('async')
      return { handled: true }
    }, { verify: verify.github('gh'), mode: 'async' })
    p.mountWebhook('/header', () => {
      count('header')
      return { ok: 1 }
    }, { public: true, dedup: { header: 'X-Request-Id' }, mode: 'async' })
    p.mountWebhook('/json', () => {
      count('json')
      return { ok: 1 }
    }, { public: true, dedup: { jsonField: 'event.id' } })
    p.mountWebhook('/std-json', () => {
      count('std-json')
      return { ok: 1 }
    }, { verify: verify.standardWebhooks('std'), dedup: { jsonField: 'id' } })
  },
})

let t: TestHost
before(async () => {
  t = await createTestHost({ plugins: [plugin], config: { plugins: { dedup: { config: { gh: SECRET, std: SECRETS.standard[0] } } } } })
})
after(() => t.close())

function githubRequest(body: string, delivery: string) {
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-github-delivery': delivery,
      'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
    },
  }
}

/** Waits (bounded) until the condition holds; the inbox runs async handlers after the 202. */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400 && !condition(); i++) await new Promise((r) => setTimeout(r, 25))
  assert.ok(condition(), `timed out waiting for ${what}`)
}

test('sync: the same delivery id 50 times at once runs the handler once; the others wait out or get the stored answer', async () => {
  closeGate()
  const body = JSON.stringify({ ref: 'refs/heads/main', commits: 3 })
  let answered = 0
  const requests = Array.from({ length: 50 }, () =>
    t.webhook('dedup', '/sync', githubRequest(body, 'same-sync-delivery')).then((r) => {
      if (++answered >= 49) release()
      return r
    }),
  )
  // Bounded: whatever happens, the first handler is released so the test cannot hang.
  const safety = setTimeout(() => release(), 15_000)
  const results = await Promise.all(requests)
  clearTimeout(safety)
  assert.equal(runs.get('sync'), 1)
  const ran = results.filter((r) => r.status === 200 && !r.headers.get('hookcat-duplicate-of'))
  assert.equal(ran.length, 1, 'exactly one answer came from the handler')
  for (const r of results) {
    if (r === ran[0]) continue
    assert.ok(r.status === 409 ? r.headers.get('retry-after') === '1' : r.headers.get('hookcat-duplicate-of'), `${r.status} ${r.text}`)
  }
  const later = await t.webhook('dedup', '/sync', githubRequest(body, 'same-sync-delivery'))
  assert.equal(later.status, 200)
  assert.deepEqual(later.json(), { handled: true }, 'a redelivery gets the stored response')
  assert.ok(later.headers.get('hookcat-duplicate-of'))
  assert.equal(runs.get('sync'), 1)
  assert.ok(t.logs.some((l) => l.msg === 'duplicate delivery: answered from storage, handler not run' && l.dedupKey === 'same-sync-delivery'))
})

test('async: the same delivery id 50 times at once is queued once and handled once', async () => {
  const body = JSON.stringify({ ref: 'refs/heads/dev' })
  const results = await Promise.all(Array.from({ length: 50 }, () => t.webhook('dedup', '/async', githubRequest(body, 'same-async-delivery'))))
  for (const r of results) assert.equal(r.status, 202, r.text)
  const ids = new Set(results.map((r) => r.json().id))
  assert.equal(ids.size, 1, 'every answer names the one stored delivery')
  assert.equal(results.filter((r) => !r.json().duplicate).length, 1)
  await until(() => runs.get('async') === 1 && t.host.inbox.backlog === 0, 'the inbox to finish')
  assert.equal(runs.get('async'), 1)
})

test('a delivery id in a header or a JSON field named by the plugin, concurrently', async () => {
  const results = await Promise.all(
    Array.from({ length: 50 }, () => t.webhook('dedup', '/header', { body: { n: 1 }, headers: { 'x-request-id': 'req-42' } })),
  )
  assert.ok(results.every((r) => r.status === 202), results.map((r) => r.status).join(','))
  const json = await Promise.all(Array.from({ length: 50 }, (_, i) => t.webhook('dedup', '/json', { body: { event: { id: 'evt-7' }, attempt: i } })))
  assert.ok(json.every((r) => r.status === 200 || r.status === 409), json.map((r) => r.status).join(','))
  await until(() => runs.get('header') === 1 && t.host.inbox.backlog === 0, 'the header delivery to run')
  assert.equal(runs.get('header'), 1)
  assert.equal(runs.get('json'), 1)
  // A different id is a different delivery.
  assert.equal((await t.webhook('dedup', '/json', { body: { event: { id: 'evt-8' } } })).status, 200)
  assert.equal(runs.get('json'), 2)
})

test("the plugin's named field wins over the verifier's id: two signed deliveries of one event run once", async () => {
  const body = Buffer.from(JSON.stringify({ id: 'evt_same', type: 'x' }))
  const first = await t.webhook('dedup', '/std-json', { body, headers: validHeaders('/standard', body, Date.now(), 'msg_a', 'old').headers })
  const second = await t.webhook('dedup', '/std-json', { body, headers: validHeaders('/standard', body, Date.now(), 'msg_b', 'old').headers })
  assert.equal(first.status, 200, first.text)
  assert.equal(second.status, 200, second.text)
  assert.ok(second.headers.get('hookcat-duplicate-of'))
  assert.equal(runs.get('std-json'), 1)
})
