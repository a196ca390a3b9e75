// Issue 13.1: unauthenticated bodies cannot exhaust memory — header credentials are checked before the body is read,
// signature headers are parsed first, and unverified bodies share a byte budget and a per-client cap (503 + Retry-After).
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { createTestHost, type TestHost } from '../../testing/index.js'
import { SECRETS, securityConfig, securityPlugin, validHeaders } from '../../../test/fixtures/security/plugin.js'
import { openRequest, postHead, type OpenRequest } from '../../../test/fixtures/security/raw-http.js'

const KiB = 1024
const BUDGET = 1024 * KiB
const PER_CLIENT = 3
const sec = securityPlugin('sec', { bodyLimit: 8 * 1024 * KiB })
let t: TestHost
let port: number
const open: OpenRequest[] = []

before(async () => {
  t = await createTestHost({
    plugins: [sec.plugin],
    config: { ...securityConfig('sec'), server: { unverifiedBodyBudget: BUDGET, maxUnverifiedPerClient: PER_CLIENT } },
  })
  port = Number(new URL(t.url).port)
})
after(async () => {
  for (const r of open) r.destroy()
  await t.close()
})

/** A request whose head is sent and whose body is announced but (mostly) withheld. */
function stall(path: string, headers: Array<[string, string]>, length: number | undefined, first = '', from?: string): OpenRequest {
  const r = openRequest(port, postHead(`/api/plugin/sec/webhook${path}`, headers, length), first, 8000, from)
  open.push(r)
  return r
}

const BOGUS_GITHUB: Array<[string, string]> = [['x-hub-signature-256', `sha256=${'ab'.repeat(32)}`], ['content-type', 'application/json']]

async function heldBytes(): Promise<number> {
  const text = (await t.request('/metrics')).text
  return Number(/^hookcat_unverified_body_bytes (\d+)/m.exec(text)?.[1] ?? NaN)
}

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await probe()
    if (value !== undefined) return value
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error(`timed out waiting for ${what}`)
}

test('header credentials are refused before a byte of the announced body is read', async () => {
  for (const [path, headers] of [
    ['/bearer', [['authorization', 'Bearer wrong-token-000000']]],
    ['/basic', [['authorization', `Basic ${Buffer.from('ops:wrong').toString('base64')}`]]],
    ['/url?token=wrong-token-000000', []],
    ['/gitlab-token', [['x-gitlab-token', 'wrong-token-000000']]],
  ] as Array<[string, Array<[string, string]>]>) {
    const r = stall(path, headers, 4 * 1024 * KiB)
    const answer = await r.answer
    assert.equal(answer.status, 401, `${path}: answered without waiting for the 4 MiB body: ${answer.body}`)
    r.destroy()
  }
  // A signature scheme whose header is missing or malformed is refused on the head as well.
  for (const [path, headers, status] of [
    ['/github', [], 401],
    ['/github', [['x-hub-signature-256', 'sha256=nothex']], 400],
    ['/standard', [['webhook-id', 'x'], ['webhook-timestamp', 'soon'], ['webhook-signature', 'v1,AAAA']], 400],
  ] as Array<[string, Array<[string, string]>, number]>) {
    const r = stall(path, headers, 4 * 1024 * KiB)
    assert.equal((await r.answer).status, status, path)
    r.destroy()
  }
  assert.equal(sec.total(), 0)
})

test('unverified bodies share a byte budget: beyond it new ones get 503 + Retry-After, and signed requests still pass', async () => {
  // One attacker holds most of the budget with a body it never finishes.
  const holder = stall('/github', BOGUS_GITHUB, 900 * KiB, 'x'.repeat(10 * KiB), '127.0.0.2')
  assert.equal(await until('the hold to be counted', async () => ((await heldBytes()) === 900 * KiB ? true : undefined)), true)
  // A second one from another address announces a body that does not fit: refused at once, before it is read.
  const second = stall('/github', BOGUS_GITHUB, 900 * KiB, '', '127.0.0.3')
  const refused = await second.answer
  assert.equal(refused.status, 503, refused.body)
  assert.equal(JSON.parse(refused.body).error.code, 'UNVERIFIED_BODIES_OVER_BUDGET')
  assert.ok(Number(refused.headers['retry-after']) >= 1)
  // A chunked body (no length announced) is refused once it outgrows what is left.
  const chunked = stall('/hmac', [['x-signature', 'cd'.repeat(32)]], undefined, '', '127.0.0.4')
  for (let i = 0; i < 4; i++) chunked.write(`${(64 * KiB).toString(16)}\r\n${'y'.repeat(64 * KiB)}\r\n`)
  const cut = await chunked.answer
  assert.equal(cut.status, 503, cut.body)
  // A genuine sender with a small signed body is answered while the attack goes on.
  const body = Buffer.from(JSON.stringify({ during: 'attack' }))
  const signed = await t.webhook('sec', '/github', { body, headers: validHeaders('/github', body, Date.now(), 'during-attack').headers })
  assert.equal(signed.status, 200, signed.text)
  holder.destroy()
  assert.equal(await until('the budget to be given back', async () => ((await heldBytes()) === 0 ? true : undefined)), true)
  // Load shedding is counted, never written to the delivery log.
  const rows = await t.host.storage.listDeliveries({ plugin: 'sec', status: 'rejected', limit: 100 })
  assert.ok(!rows.some((r) => r.responseStatus === 503), 'no 503 row')
  const counts = await t.host.ingress.refusals.counts('sec')
  const shed = counts.filter((c) => c.reason === 'UNVERIFIED_BODIES_OVER_BUDGET').reduce((n, c) => n + c.count, 0)
  assert.equal(shed, 2, JSON.stringify(counts))
})

test('one client address may stream only a few unverified bodies at once', async () => {
  const held = Array.from({ length: PER_CLIENT }, () => stall('/hmac', [['x-signature', 'ef'.repeat(32)]], 1000, 'z', '127.0.0.5'))
  assert.equal(await until('the holds', async () => ((await heldBytes()) === PER_CLIENT * 1000 ? true : undefined)), true)
  const extra = await stall('/hmac', [['x-signature', 'ef'.repeat(32)]], 1000, 'z', '127.0.0.5').answer
  assert.equal(extra.status, 503, extra.body)
  assert.match(JSON.parse(extra.body).error.message, /client/)
  // Another address is not held back by this one.
  const other = stall('/hmac', [['x-signature', 'ef'.repeat(32)]], 3, '', '127.0.0.6')
  other.write('abc')
  assert.equal((await other.answer).status, 401)
  for (const r of held) r.destroy()
  assert.equal(await until('the holds to end', async () => ((await heldBytes()) === 0 ? true : undefined)), true)
})

test('signatures are computed while the body streams, over the exact bytes, in any chunking', async () => {
  const body = Buffer.from(JSON.stringify({ text: 'é'.repeat(50_000), n: [1, 2, 3] }))
  const sig = `sha256=${createHmac('sha256', SECRETS.github[1]).update(body).digest('hex')}`
  for (const [label, piece] of [['one chunk', body.length], ['odd chunks', 7919], ['tiny chunks', 1021]] as const) {
    const r = stall('/github', [['x-hub-signature-256', sig], ['x-github-delivery', `chunks-${label}`]], undefined)
    for (let i = 0; i < body.length; i += piece) {
      const part = body.subarray(i, i + piece)
      r.write(Buffer.concat([Buffer.from(`${part.length.toString(16)}\r\n`), part, Buffer.from('\r\n')]))
    }
    r.write('0\r\n\r\n')
    assert.equal((await r.answer).status, 200, label)
  }
  const tampered = Buffer.from(body)
  tampered[tampered.length - 2] ^= 1
  const bad = stall('/github', [['x-hub-signature-256', sig]], tampered.length)
  bad.write(tampered)
  assert.equal((await bad.answer).status, 401)
})

test('the admin token of an operator-only webhook is checked before its body is read, too', async () => {
  const builtins = await createTestHost({ builtins: true })
  try {
    const head = postHead('/api/plugin/status/webhook/status', [['authorization', 'Bearer not-the-admin-token'], ['content-type', 'application/json']], 512 * KiB)
    const r = openRequest(Number(new URL(builtins.url).port), head, '', 8000)
    const answer = await r.answer
    r.destroy()
    assert.equal(answer.status, 401, answer.body)
  } finally {
    await builtins.close()
  }
})
