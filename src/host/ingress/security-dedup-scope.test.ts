// Issue 13.4: dedup is scoped to the route and trusts only verified ids — an unauthenticated request cannot make a signed
// one a "duplicate", nor read its stored answer; ids up to 256 characters dedup in every scheme, longer ones are a 400.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { createTestHost, type TestHost } from '../../testing/index.js'
import { definePlugin, secret, verify, z } from '../../index.js'
import { SECRETS, validHeaders } from '../../../test/fixtures/security/plugin.js'

const GH = 'scope-secret-Wq4Rt8Yu2'
const runs = new Map<string, number>()
const count = (key: string) => runs.set(key, (runs.get(key) ?? 0) + 1).get(key)!

const plugin = definePlugin({
  name: 'scope',
  version: '1.0.0',
  config: z.object({ gh: secret(z.string()), std: secret(z.string()), unset: secret(z.string()).optional() }),
  setup(p) {
    p.mountWebhook('/open', () => ({ route: 'open', run: count('open') }), { public: true })
    p.mountWebhook('/signed', () => ({ route: 'signed', private: 'only for GitHub', run: count('signed') }), { verify: verify.github('gh') })
    // Public while its secret is not configured: its requests are not verified, so their ids count for nothing.
    p.mountWebhook('/maybe', () => ({ run: count('maybe') }), { verify: verify.github('unset'), public: true })
    p.mountWebhook('/std', () => ({ run: count('std') }), { verify: verify.standardWebhooks('std') })
  },
})

let t: TestHost
before(async () => {
  t = await createTestHost({ plugins: [plugin], config: { plugins: { scope: { config: { gh: GH, std: SECRETS.standard[0] } } } } })
})
after(() => t.close())

function signed(id: string, body = '{"a":1}') {
  return { body, headers: { 'content-type': 'application/json', 'x-github-delivery': id, 'x-hub-signature-256': `sha256=${createHmac('sha256', GH).update(body).digest('hex')}` } }
}

test('an unauthenticated request with a delivery id does not make a later signed one a duplicate', async () => {
  for (const header of ['x-github-delivery', 'idempotency-key']) {
    const id = `planted-${header}`
    const first = await t.webhook('scope', '/open', { body: {}, headers: { [header]: id } })
    assert.equal(first.status, 200)
    const real = await t.webhook('scope', '/signed', signed(id))
    assert.equal(real.status, 200, real.text)
    assert.equal(real.headers.get('hookcat-duplicate-of'), null, `${header}: the signed delivery ran`)
    assert.equal(real.json().route, 'signed')
  }
  assert.equal(runs.get('signed'), 2)
})

test('a duplicate answer never hands another route its stored response', async () => {
  const id = 'signed-first-1'
  assert.equal((await t.webhook('scope', '/signed', signed(id))).json().route, 'signed')
  const probe = await t.webhook('scope', '/open', { body: {}, headers: { 'x-github-delivery': id } })
  assert.equal(probe.status, 200)
  assert.equal(probe.json().route, 'open', probe.text)
  assert.ok(!probe.text.includes('only for GitHub'))
  // Within its own route, a redelivery is still answered from storage without running again.
  const again = await t.webhook('scope', '/signed', signed(id))
  assert.ok(again.headers.get('hookcat-duplicate-of'))
  assert.equal(again.json().route, 'signed')
  assert.equal((await t.host.storage.findDelivery('scope', id, '/signed'))?.duplicates, 1)
})

test('a request that did not pass verification cannot claim an id; one with a bad signature claims nothing', async () => {
  for (let i = 0; i < 2; i++) assert.equal((await t.webhook('scope', '/maybe', { body: {}, headers: { 'x-github-delivery': 'unverified-1' } })).json().run, i + 1)
  const forged = await t.webhook('scope', '/signed', { body: '{}', headers: { 'x-github-delivery': 'forged-1', 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` } })
  assert.equal(forged.status, 401)
  const genuine = await t.webhook('scope', '/signed', signed('forged-1'))
  assert.equal(genuine.status, 200)
  assert.equal(genuine.headers.get('hookcat-duplicate-of'), null)
})

test('delivery ids up to 256 characters dedup in every scheme; longer ones are refused with 400, never ignored', async () => {
  const body = Buffer.from('{"b":2}')
  const long = 'L'.repeat(250)
  for (const [path, headers] of [
    ['/std', validHeaders('/standard', body, Date.now(), long, 'old').headers],
    ['/signed', signed(long, body.toString()).headers],
  ] as const) {
    const a = await t.webhook('scope', path, { body, headers })
    const b = await t.webhook('scope', path, { body, headers })
    assert.equal(a.status, 200, `${path}: ${a.text}`)
    assert.ok(b.headers.get('hookcat-duplicate-of'), `${path}: the replay of a 250-character id is a duplicate`)
  }
  assert.equal(runs.get('std'), 1)
  const tooLong = 'X'.repeat(257)
  for (const [path, headers] of [
    ['/std', validHeaders('/standard', body, Date.now(), tooLong, 'old').headers],
    ['/signed', signed(tooLong, body.toString()).headers],
    ['/open', { 'idempotency-key': tooLong }],
  ] as const) {
    const r = await t.webhook('scope', path, { body, headers })
    assert.equal(r.status, 400, `${path}: ${r.text}`)
    assert.equal(r.json().error.code, 'DELIVERY_ID_TOO_LONG')
  }
  assert.equal(runs.get('std'), 1)
})
