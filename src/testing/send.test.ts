// host.send.<sender>: each signer produces requests that hookcat's own verifier for that sender accepts, and only those.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { definePlugin, verify } from '../index.js'
import { createTestHost } from './index.js'

const WHSEC = `whsec_${Buffer.from('a test key of 24 bytes!!').toString('base64')}`

const plugin = definePlugin({
  name: 'signed',
  version: '1.0.0',
  setup(p) {
    const echo = async (req: { headers: { get(n: string): string | null }; json(): Promise<unknown> }) => ({ body: await req.json(), event: req.headers.get('x-github-event') ?? req.headers.get('x-gitlab-event') })
    p.mountWebhook('/github', echo, { verify: verify.github(() => 'gh-secret') })
    p.mountWebhook('/gitlab', echo, { verify: verify.gitlab({ token: () => 'gl-token' }) })
    p.mountWebhook('/gitlab-signed', echo, { verify: verify.gitlab({ signingToken: () => WHSEC }) })
    p.mountWebhook('/standard', echo, { verify: verify.standardWebhooks(() => WHSEC) })
    p.mountWebhook('/hmac', echo, { verify: verify.hmac(() => 'h-secret', { header: 'X-Signature', algorithm: 'sha512', prefix: 'v=', timestampHeader: 'X-Timestamp' }) })
    p.mountWebhook('/bearer', echo, { verify: verify.bearer(() => 'b-token') })
  },
})

test('every named signer passes its verifier and a wrong secret fails it', async () => {
  const t = await createTestHost({ plugins: [plugin] })
  try {
    const ok = [
      await t.send.github('signed', '/github', 'push', { ref: 'refs/heads/main' }, { secret: 'gh-secret' }),
      await t.send.gitlab('signed', '/gitlab', 'Push Hook', { ref: 'x' }, { token: 'gl-token' }),
      await t.send.gitlab('signed', '/gitlab-signed', 'Issue Hook', { ref: 'x' }, { signingToken: WHSEC }),
      await t.send.standardWebhooks('signed', '/standard', { type: 'x' }, { secret: WHSEC }),
      await t.send.hmac('signed', '/hmac', { a: 1 }, { secret: 'h-secret', header: 'X-Signature', algorithm: 'sha512', prefix: 'v=', timestampHeader: 'X-Timestamp' }),
      await t.send.bearer('signed', '/bearer', { a: 1 }, { token: 'b-token' }),
    ]
    for (const r of ok) assert.equal(r.status, 200, r.text)
    assert.deepEqual(ok[0].json(), { body: { ref: 'refs/heads/main' }, event: 'push' })
    assert.equal(ok[1].json().event, 'Push Hook')

    const bad = [
      await t.send.github('signed', '/github', 'push', {}, { secret: 'wrong' }),
      await t.send.gitlab('signed', '/gitlab', 'Push Hook', {}, { token: 'wrong' }),
      await t.send.standardWebhooks('signed', '/standard', {}, { secret: `whsec_${Buffer.from('another key').toString('base64')}` }),
      await t.send.hmac('signed', '/hmac', {}, { secret: 'wrong', header: 'X-Signature', algorithm: 'sha512', prefix: 'v=', timestampHeader: 'X-Timestamp' }),
      await t.send.bearer('signed', '/bearer', {}, { token: 'wrong' }),
    ]
    for (const r of bad) assert.equal(r.status, 401, r.text)
  } finally {
    await t.close()
  }
})

test('the exact bytes given are what is signed and sent', async () => {
  const t = await createTestHost({ plugins: [plugin] })
  try {
    // Spacing JSON.stringify would never produce: a signer that re-encoded it would fail the check.
    const raw = '{ "ref" :  "refs/heads/x" }'
    const r = await t.send.github('signed', '/github', 'push', raw, { secret: 'gh-secret', headers: { 'content-type': 'application/json' } })
    assert.equal(r.status, 200, r.text)
    assert.deepEqual(r.json().body, { ref: 'refs/heads/x' })
  } finally {
    await t.close()
  }
})

test('timestamped signatures use the test clock, so a clock far from real time is honoured by the verifier', async () => {
  const { createClock } = await import('./clock.js')
  const clock = createClock({ start: Date.UTC(2030, 0, 1) })
  const t = await createTestHost({ plugins: [plugin], clock })
  try {
    const r = await t.send.standardWebhooks('signed', '/standard', { a: 1 }, { secret: WHSEC })
    assert.equal(r.status, 200, r.text)
    // Signed at real time, checked at the host's 2030 clock: out of the tolerance window.
    const stale = await t.send.standardWebhooks('signed', '/standard', { a: 1 }, { secret: WHSEC, now: Date.now() })
    assert.equal(stale.status, 401, stale.text)
  } finally {
    await t.close()
  }
})
