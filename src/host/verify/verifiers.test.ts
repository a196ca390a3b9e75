// Every verifier through a real host: valid, rotated, wrong, missing, malformed, unconfigured (503) and public; delivery ids; replay windows.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestHost, type TestHost } from '../../testing/index.js'
import { routes, securityConfig, securityPlugin, SECRETS, validHeaders, GRAFANA_TS } from '../../../test/fixtures/security/plugin.js'

const BODY = Buffer.from('{"action":"opened","number":1}')
const PATHS = Object.keys(routes())
/** Routes whose secret field holds [old, new]: both must verify. */
const ROTATED = ['/github', '/github-legacy', '/gitlab-token', '/standard', '/svix', '/stripe', '/hmac', '/hmac-custom', '/hmac-sha1', '/bearer']
/** Routes with a signed timestamp, and the header that carries it. */
const TIMESTAMPED: Record<string, string> = {
  '/gitlab': 'webhook-timestamp',
  '/gitlab-signed': 'webhook-timestamp',
  '/standard': 'webhook-timestamp',
  '/svix': 'svix-timestamp',
  '/stripe': 'stripe-signature',
  '/grafana-ts': GRAFANA_TS.toLowerCase(),
  '/hmac-custom': 'x-timestamp',
}
/** Which config field a route's 503 must name. */
const FIELD: Record<string, string> = {
  '/github': 'github', '/github-legacy': 'github', '/gitea': 'gitea', '/gitlab-token': 'gitlabToken', '/gitlab': 'gitlabToken',
  '/gitlab-signed': 'gitlabSigning', '/standard': 'standard', '/svix': 'standard', '/stripe': 'stripe', '/grafana': 'grafana',
  '/grafana-ts': 'grafana', '/hmac': 'hmac', '/hmac-custom': 'hmac', '/hmac-sha1': 'hmac', '/bearer': 'bearer', '/basic': 'basic', '/url': 'urlToken',
}

/** A header value made malformed (400) for routes whose credential has a syntax; token routes have none. */
const MALFORM: Record<string, [string, string]> = {
  '/github': ['x-hub-signature-256', 'sha256=not-hex'],
  '/github-legacy': ['x-hub-signature', 'sha1=0123'],
  '/gitea': ['x-gitea-signature', 'xyz'],
  '/gitlab': ['webhook-signature', 'no-comma-here'],
  '/gitlab-signed': ['webhook-timestamp', 'yesterday'],
  '/standard': ['webhook-signature', 'v1,@@@@'],
  '/svix': ['svix-signature', 'v1'],
  '/stripe': ['stripe-signature', 'v1=abc'],
  '/grafana': ['x-grafana-alerting-signature', 'sha256=abc'],
  '/grafana-ts': [GRAFANA_TS.toLowerCase(), '12:00'],
  '/hmac': ['x-signature', 'g'.repeat(64)],
  '/hmac-custom': ['x-sig', 'V1=abc'],
  '/hmac-sha1': ['x-hook-signature', 'sha256=' + 'a'.repeat(40)],
}

async function send(t: TestHost, plugin: string, path: string, signed: { headers: Record<string, string>; query?: string }, body = BODY) {
  const query = signed.query ? Object.fromEntries(new URLSearchParams(signed.query)) : undefined
  return t.webhook(plugin, path, { body, headers: { 'content-type': 'application/json', ...signed.headers }, query })
}

test('each verifier accepts its sender, rejects wrong, missing and malformed credentials, and fails closed without a secret', async () => {
  const sec = securityPlugin('sec')
  const nosec = securityPlugin('nosec')
  const pub = securityPlugin('pub', { public: true })
  const pubset = securityPlugin('pubset', { public: true })
  const t = await createTestHost({
    plugins: [sec.plugin, nosec.plugin, pub.plugin, pubset.plugin],
    config: { plugins: { ...securityConfig('sec').plugins, ...securityConfig('pubset').plugins } },
  })
  try {
    let n = 0
    for (const path of PATHS) {
      const now = Date.now()
      const ok = await send(t, 'sec', path, validHeaders(path, BODY, now, `id-${n++}`))
      assert.equal(ok.status, 200, `${path}: ${ok.text}`)
      if (ROTATED.includes(path)) {
        const old = await send(t, 'sec', path, validHeaders(path, BODY, now, `id-${n++}`, 'old'))
        assert.equal(old.status, 200, `${path} with the old secret: ${old.text}`)
      }
      // The body changed by one byte: the signature no longer matches (token schemes do not sign the body).
      const signed = validHeaders(path, BODY, now, `id-${n++}`)
      const tampered = Buffer.from(BODY)
      tampered[5] ^= 1
      const bad = await send(t, 'sec', path, signed, tampered)
      const signsBody = !['/gitlab-token', '/bearer', '/basic', '/url'].includes(path)
      assert.equal(bad.status, signsBody ? 401 : 200, `${path} tampered: ${bad.text}`)
      if (signsBody) assert.match(bad.json().error.code, /SIGNATURE_INVALID/)

      const none = await send(t, 'sec', path, { headers: {} })
      assert.equal(none.status, 401, `${path} without credentials: ${none.text}`)

      if (MALFORM[path]) {
        const [name, value] = MALFORM[path]
        const malformed = await send(t, 'sec', path, { headers: { ...signed.headers, [name]: value } })
        assert.equal(malformed.status, 400, `${path} malformed ${name}: ${malformed.text}`)
        assert.equal(malformed.json().error.code, 'SIGNATURE_MALFORMED')
      }

      const closed = await send(t, 'nosec', path, validHeaders(path, BODY, now, `id-${n++}`))
      assert.equal(closed.status, 503, `${path} without a configured secret: ${closed.text}`)
      assert.equal(closed.json().error.code, 'SECRET_NOT_CONFIGURED')
      assert.equal(closed.json().error.details.field, FIELD[path], path)
      assert.match(closed.json().error.message, new RegExp(`"${FIELD[path]}"`))

      const open = await send(t, 'pub', path, { headers: {} })
      assert.equal(open.status, 200, `${path} public without a secret: ${open.text}`)
      // Public but with a secret configured: the secret is checked all the same.
      assert.equal((await send(t, 'pubset', path, { headers: {} })).status, 401, `${path} public with a secret`)
      assert.equal((await send(t, 'pubset', path, validHeaders(path, BODY, now, `id-${n++}`))).status, 200, `${path} public with a secret, signed`)
    }
    assert.equal(nosec.total(), 0)
    for (const path of PATHS) assert.equal(pub.runs.get(path), 1, path)
  } finally {
    await t.close()
  }
})

test('timestamped schemes refuse stale and future requests, and accept within the window', async () => {
  const sec = securityPlugin('sec')
  const t = await createTestHost({ plugins: [sec.plugin], config: securityConfig('sec') })
  try {
    let n = 0
    for (const [path, name] of Object.entries(TIMESTAMPED)) {
      for (const [label, offset, status] of [
        ['stale', -301_000, 401],
        ['future', 301_000, 401],
        ['slightly old', -240_000, 200],
        ['slightly ahead', 240_000, 200],
      ] as const) {
        const r = await send(t, 'sec', path, validHeaders(path, BODY, Date.now() + offset, `ts-${n++}`))
        assert.equal(r.status, status, `${path} ${label}: ${r.text}`)
        if (status === 401) {
          assert.equal(r.json().error.code, 'TIMESTAMP_OUT_OF_TOLERANCE', path)
          assert.ok(r.json().error.message.toLowerCase().includes(name.split('-').pop()!.toLowerCase()) || path === '/stripe', `${path}: ${r.text}`)
        }
      }
    }
    // A refused request leaves a log line saying which check failed, and no secret.
    const refused = t.logs.filter((l) => l.msg === 'webhook request refused')
    assert.ok(refused.some((l) => String(l.reason).startsWith('TIMESTAMP_OUT_OF_TOLERANCE')))
  } finally {
    await t.close()
  }
})

test('a configurable tolerance, GitHub legacy SHA-1 only when enabled, both Grafana header names, Basic from an object', async () => {
  const { definePlugin, verify, z, secret } = await import('../../index.js')
  let runs = 0
  const handler = () => ({ ok: ++runs })
  const p = definePlugin({
    name: 'opts',
    version: '1.0.0',
    config: z.object({ std: secret(z.string()), gh: secret(z.string()), graf: secret(z.string()), auth: secret(z.object({ username: z.string(), password: z.string() })) }),
    setup(plugin) {
      plugin.mountWebhook('/std-10s', handler, { verify: verify.standardWebhooks('std', { toleranceSeconds: 10 }) })
      plugin.mountWebhook('/github', handler, { verify: verify.github('gh') })
      plugin.mountWebhook('/grafana', handler, { verify: verify.grafana('graf') })
      plugin.mountWebhook('/basic', handler, { verify: verify.basic('auth') })
    },
  })
  const t = await createTestHost({
    plugins: [p],
    config: { plugins: { opts: { config: { std: SECRETS.standard[0], gh: 'gh-secret-Aa1Bb2Cc3', graf: SECRETS.grafana, auth: { username: 'am', password: 'pw-Zx8Cv7Bn6' } } } } },
  })
  try {
    const stdHeaders = (offsetMs: number) => {
      const h = validHeaders('/standard', BODY, Date.now() + offsetMs, `std-${offsetMs}`, 'old').headers
      return { headers: h }
    }
    assert.equal((await send(t, 'opts', '/std-10s', stdHeaders(0))).status, 200)
    assert.equal((await send(t, 'opts', '/std-10s', stdHeaders(-60_000))).status, 401)
    assert.equal((await send(t, 'opts', '/std-10s', stdHeaders(60_000))).status, 401)

    const { createHmac } = await import('node:crypto')
    const sha1 = 'sha1=' + createHmac('sha1', 'gh-secret-Aa1Bb2Cc3').update(BODY).digest('hex')
    const legacy = await send(t, 'opts', '/github', { headers: { 'x-hub-signature': sha1 } })
    assert.equal(legacy.status, 401, legacy.text)
    assert.match(legacy.json().error.message, /legacy SHA-1/)

    const sig = createHmac('sha256', SECRETS.grafana).update(BODY).digest('hex')
    assert.equal((await send(t, 'opts', '/grafana', { headers: { 'x-grafana-alerting-signature': sig } })).status, 200)
    assert.equal((await send(t, 'opts', '/grafana', { headers: { 'x-grafana-alert-signature': sig } })).status, 200)

    const basic = (s: string) => ({ headers: { authorization: `Basic ${Buffer.from(s).toString('base64')}` } })
    assert.equal((await send(t, 'opts', '/basic', basic('am:pw-Zx8Cv7Bn6'))).status, 200)
    const wrong = await send(t, 'opts', '/basic', basic('am:pw'))
    assert.equal(wrong.status, 401)
    assert.equal(wrong.headers.get('www-authenticate'), 'Basic realm="hookcat"')
    assert.equal(runs, 4)
  } finally {
    await t.close()
  }
})

test('verifiers supply the delivery id: a redelivery is answered from storage without running the handler again', async () => {
  const sec = securityPlugin('sec')
  const t = await createTestHost({ plugins: [sec.plugin], config: securityConfig('sec') })
  try {
    const ids: Record<string, string> = {
      '/github': 'x-github-delivery', '/gitea': 'x-gitea-delivery', '/gitlab-token': 'idempotency-key', '/gitlab': 'idempotency-key',
      '/standard': 'webhook-id', '/svix': 'svix-id',
    }
    for (const path of Object.keys(ids)) {
      const signed = validHeaders(path, BODY, Date.now(), `dup-${path}`)
      const first = await send(t, 'sec', path, signed)
      const again = await send(t, 'sec', path, signed)
      assert.equal(first.status, 200, `${path}: ${first.text}`)
      assert.equal(again.status, 200, `${path}: ${again.text}`)
      assert.ok(again.headers.get('hookcat-duplicate-of'), `${path} redelivery is marked as a duplicate`)
      assert.equal(sec.runs.get(path), 1, path)
    }
    // Standard Webhooks: the id is signed, so a different id with the same signature is refused, not run.
    const signed = validHeaders('/standard', BODY, Date.now(), 'signed-id')
    const forged = await send(t, 'sec', '/standard', { headers: { ...signed.headers, 'webhook-id': 'other-id' } })
    assert.equal(forged.status, 401)
  } finally {
    await t.close()
  }
})

test('verify.admin() behind verify.when(): GET is open, POST needs the admin token', async () => {
  const { definePlugin, verify } = await import('../../index.js')
  let posts = 0
  const p = definePlugin({
    name: 'op',
    version: '1.0.0',
    setup(plugin) {
      plugin.mountWebhook('/switch', (req) => (req.method === 'POST' ? { posts: ++posts } : { open: true }), {
        methods: ['GET', 'POST'],
        verify: verify.when(['POST'], verify.admin()),
        public: true,
      })
    },
  })
  const t = await createTestHost({ plugins: [p] })
  try {
    assert.equal((await t.webhook('op', '/switch', { method: 'GET' })).status, 200)
    assert.equal((await t.webhook('op', '/switch', { body: {} })).status, 401)
    const wrong = await t.webhook('op', '/switch', { body: {}, headers: { authorization: `Bearer ${t.adminToken}x` } })
    assert.equal(wrong.status, 401)
    assert.equal(wrong.headers.get('www-authenticate'), 'Bearer')
    assert.equal((await t.webhook('op', '/switch', { body: {}, headers: { authorization: `Bearer ${t.adminToken}` } })).status, 200)
    assert.equal(posts, 1)
  } finally {
    await t.close()
  }
})
