// Interoperability with peer implementations: @octokit/webhooks-methods, standardwebhooks, a Stripe-style signer from Stripe's docs; every GitHub example payload; non-ASCII bodies.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { createRequire } from 'node:module'
import { sign as octokitSign } from '@octokit/webhooks-methods'
import { Webhook } from 'standardwebhooks'
import { createTestHost, type TestHost } from '../../testing/index.js'
import { definePlugin, secret, verify, z, type WebhookHandler } from '../../index.js'
import { stripeHeader } from '../../../test/fixtures/security/plugin.js'

const require = createRequire(import.meta.url)
const examples = require('@octokit/webhooks-examples') as Array<{ name: string; examples: unknown[] }>
const nonAscii = require('../../../test/fixtures/security/non-ascii.json') as string[]

const GH = 'octokit-interop-Jk3Lm8Np2Q'
const STD_OLD = `whsec_${Buffer.from('standard-interop-old-key-1234').toString('base64')}`
const STD_NEW = `whsec_${Buffer.from('standard-interop-new-key-5678').toString('base64')}`
const STRIPE = 'whsec_stripeInteropVb6Nm1Qw4'
const HMAC = 'page-example-Xs5Cd9Fv2'

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex')

/** Echoes what the handler saw: the event, and a hash of the exact bytes, so the test can tell that nothing was re-encoded. */
const echo: WebhookHandler = async (req) => {
  const type = (req.headers.get('content-type') ?? '').split(';')[0]
  if (type === 'application/json') await req.json()
  return { event: req.headers.get('x-github-event'), sha256: sha(req.raw) }
}

function interopPlugin() {
  return definePlugin({
    name: 'interop',
    version: '1.0.0',
    config: z.object({ gh: secret(z.string()), std: secret(z.array(z.string())), stripe: secret(z.string()), hmac: secret(z.string()) }),
    setup(p) {
      p.mountWebhook('/github', echo, { verify: verify.github('gh') })
      p.mountWebhook('/standard', echo, { verify: verify.standardWebhooks('std') })
      p.mountWebhook('/stripe', echo, { verify: verify.stripe('stripe') })
      p.mountWebhook('/hmac', echo, { verify: verify.hmac('hmac', { header: 'X-Signature' }) })
    },
  })
}

// One host for the file: starting one is the slow part.
let t: TestHost
before(async () => {
  t = await createTestHost({
    plugins: [interopPlugin()],
    config: { plugins: { interop: { config: { gh: GH, std: [STD_OLD, STD_NEW], stripe: STRIPE, hmac: HMAC } } } },
  })
})
after(() => t.close())

/** Runs the tasks with at most `width` in flight: bounded, and fast enough for hundreds of requests. */
async function pool<T>(items: T[], width: number, run: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, async () => {
    while (next < items.length) {
      const i = next++
      await run(items[i], i)
    }
  }))
}

test('every @octokit/webhooks-examples payload, signed by @octokit/webhooks-methods, verifies and is accepted', async () => {
  const all = examples.flatMap((d) => d.examples.map((payload) => ({ event: d.name, payload })))
  assert.ok(all.length > 300, `the package holds ${all.length} examples`)
  const failures: string[] = []
  await pool(all, 12, async ({ event, payload }, i) => {
    // The exact bytes that are signed and sent; every fourth one pretty-printed and every tenth form-encoded as GitHub can be set to.
    const json = i % 4 === 0 ? JSON.stringify(payload, null, 2) : JSON.stringify(payload)
    const form = i % 10 === 0
    const text = form ? `payload=${encodeURIComponent(json)}` : json
    const r = await t.webhook('interop', '/github', {
      body: text,
      headers: {
        'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json',
        'x-hub-signature-256': await octokitSign(GH, text),
        'x-github-event': event,
        'x-github-delivery': `example-${i}`,
      },
    })
    if (r.status !== 200 || r.json().sha256 !== sha(text)) failures.push(`${event} #${i}: ${r.status} ${r.text.slice(0, 200)}`)
  })
  assert.deepEqual(failures, [])
})

test('standardwebhooks signatures verify under webhook-* and svix-* names, with several signatures during rotation', async () => {
  const payload = JSON.stringify({ type: 'invoice.paid', data: { id: 'in_1', note: '支払い済み 💴' } })
  let n = 0
  for (const key of [STD_OLD, STD_NEW]) {
    const id = `msg_${n++}`
    const at = new Date()
    const signature = new Webhook(key).sign(id, at, payload)
    const ts = String(Math.floor(at.getTime() / 1000))
    for (const prefix of ['webhook', 'svix']) {
      const r = await t.webhook('interop', '/standard', {
        body: payload,
        headers: { 'content-type': 'application/json', [`${prefix}-id`]: `${id}-${prefix}`, [`${prefix}-timestamp`]: ts, [`${prefix}-signature`]: new Webhook(key).sign(`${id}-${prefix}`, at, payload) },
      })
      assert.equal(r.status, 200, `${prefix}: ${r.text}`)
    }
    assert.match(signature, /^v1,/)
  }
  // The sender rotates: it signs with an unknown new key and with our key; one match is enough.
  const unknown = `whsec_${Buffer.from('a key hookcat does not know').toString('base64')}`
  const at = new Date()
  const both = `${new Webhook(unknown).sign('msg_rot', at, payload)} ${new Webhook(STD_NEW).sign('msg_rot', at, payload)}`
  const rotated = await t.webhook('interop', '/standard', {
    body: payload,
    headers: { 'webhook-id': 'msg_rot', 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': both },
  })
  assert.equal(rotated.status, 200, rotated.text)
  const onlyUnknown = await t.webhook('interop', '/standard', {
    body: payload,
    headers: { 'webhook-id': 'msg_unk', 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(unknown).sign('msg_unk', at, payload) },
  })
  assert.equal(onlyUnknown.status, 401)
  // The reverse direction: the reference library accepts what our fixture signer produces, so both sides agree on the scheme.
  const ts = Math.floor(Date.now() / 1000)
  const ours = new Webhook(STD_NEW).sign('msg_x', new Date(ts * 1000), payload)
  assert.doesNotThrow(() => new Webhook(STD_NEW).verify(payload, { 'webhook-id': 'msg_x', 'webhook-timestamp': String(ts), 'webhook-signature': ours }))
})

test('a Stripe-style signer written from Stripe\'s documentation verifies, including two v1 signatures during rotation', async () => {
  const payload = JSON.stringify({ id: 'evt_1', object: 'event', type: 'charge.succeeded', data: { object: { amount: 1999, currency: 'eur', description: 'Café ☕' } } })
  const ts = Math.floor(Date.now() / 1000)
  const ok = await t.webhook('interop', '/stripe', { body: payload, headers: { 'content-type': 'application/json', 'stripe-signature': stripeHeader([STRIPE], payload, ts) } })
  assert.equal(ok.status, 200, ok.text)
  const rotation = `${stripeHeader(['whsec_retiredSecret'], payload, ts)},${stripeHeader([STRIPE], payload, ts).split(',')[1]},v0=${'0'.repeat(64)}`
  const rotated = await t.webhook('interop', '/stripe', { body: payload, headers: { 'stripe-signature': rotation } })
  assert.equal(rotated.status, 200, rotated.text)
  const stale = await t.webhook('interop', '/stripe', { body: payload, headers: { 'stripe-signature': stripeHeader([STRIPE], payload, ts - 301) } })
  assert.equal(stale.status, 401)
})

test('non-ASCII bodies (emoji, CJK, U+2028, escaped slashes, invalid UTF-8) verify over their exact bytes under every scheme', async () => {
  const { createHmac } = await import('node:crypto')
  const bodies: Buffer[] = [...nonAscii.map((s) => Buffer.from(s, 'utf8')), Buffer.from([0x7b, 0xff, 0xfe, 0xc3, 0x28, 0x7d])]
  let n = 0
  for (const body of bodies) {
    const text = body.toString('latin1')
    const ts = Math.floor(Date.now() / 1000)
    const id = `na-${n++}`
    const signed: Array<[string, Record<string, string>]> = [
      ['/github', { 'x-hub-signature-256': await octokitSign(GH, body.toString('utf8')) }],
      ['/standard', { 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': new Webhook(STD_OLD).sign(id, new Date(ts * 1000), body) }],
      ['/stripe', { 'stripe-signature': stripeHeader([STRIPE], body, ts) }],
      ['/hmac', { 'x-signature': createHmac('sha256', HMAC).update(body).digest('hex') }],
    ]
    for (const [path, headers] of signed) {
      // octokit and standardwebhooks sign JS strings, i.e. their UTF-8 encoding: invalid UTF-8 can only go through our own signers.
      if ((path === '/github' || path === '/standard') && !Buffer.from(body.toString('utf8'), 'utf8').equals(body)) continue
      const r = await t.webhook('interop', path, { body, headers: { 'content-type': 'text/plain', ...headers } })
      assert.equal(r.status, 200, `${path} ${JSON.stringify(text.slice(0, 40))}: ${r.text}`)
      assert.equal(r.json().sha256, sha(body), `${path}: the handler saw the exact bytes`)
    }
  }
})
