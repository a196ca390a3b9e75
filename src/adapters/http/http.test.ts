// The http adapter against a receiver that verifies its signature as README.md documents; faults; long messages.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { fakeHttpReceiver } from '../../../test/fakes/http-receiver.js'
import { checkFaults, longMessage, makeAdapter, sendError, sendWhole } from '../../../test/fakes/harness.js'
import { hookcatSign } from '../shared/signing.js'
import { httpAdapter } from './index.js'

const SECRET = 'a-very-long-secret-0001'
const fake = fakeHttpReceiver('/hooks/in', SECRET)
let url = ''
before(async () => {
  url = `${await fake.start()}/hooks/in`
})
after(() => fake.close())

test('POSTs JSON with a stable id, a timestamp and v1=<hex HMAC-SHA256(secret, "{ts}.{body}")>', async () => {
  const h = makeAdapter(httpAdapter, { url, secret: SECRET, bearerToken: 'bearer-xyz' }, { now: () => 1_700_000_000_000 })
  await sendWhole(h, 'ops', { text: 'hello', title: 'T' })
  const req = fake.accepted.at(-1)!
  assert.equal(req.headers['x-hookcat-timestamp'], '1700000000')
  assert.equal(req.headers['x-hookcat-id'], 'm1.1')
  assert.equal(req.headers['x-hookcat-signature'], `v1=${hookcatSign(1_700_000_000, req.body, SECRET)}`)
  assert.equal(req.headers.authorization, 'Bearer bearer-xyz')
  assert.equal(req.json.chatKey, 'http-ops')
  assert.equal(req.json.text, 'T\nhello')
  assert.deepEqual(req.json.message, { text: 'hello', title: 'T' })
})

test('a receiver that refuses the signature (401) makes the send final', async () => {
  const h = makeAdapter(httpAdapter, { url, secret: 'another-secret-0000002' })
  const error = await sendError(sendWhole(h, 'ops', { text: 'x' }))
  assert.equal(error.httpStatus, 401)
  assert.equal(error.retryable, false)
})

test('429 with Retry-After, 5xx, timeouts and drops are retryable', async () => {
  const h = makeAdapter(httpAdapter, { url, secret: SECRET })
  fake.retryAfterSeconds = 2
  await checkFaults(fake, h, 'ops', 2000)
})

test('a message of 50,000 characters arrives whole (limit 100,000), or in parts under a smaller maxLength', async () => {
  const whole = makeAdapter(httpAdapter, { url, secret: SECRET })
  assert.equal(await sendWhole(whole, 'ops', longMessage()), 1)
  const small = makeAdapter(httpAdapter, { url, secret: SECRET, maxLength: 20_000 })
  const before = fake.accepted.length
  const parts = await sendWhole(small, 'ops', longMessage())
  assert.equal(parts, 3)
  for (const r of fake.accepted.slice(before)) assert.ok((r.json.text as string).length <= 20_000)
})
