// DingTalk adapter against a fake robot: signed URL (fixed clock), markdown, errcodes, faults, the 20,000-byte limit.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { fakeDingTalk } from '../../../test/fakes/dingtalk.js'
import { checkFaults, longMessage, makeAdapter, sendError, sendWhole } from '../../../test/fakes/harness.js'
import { dingtalkAdapter } from './index.js'

const NOW = 1_700_000_000_000
const fake = fakeDingTalk({ 'tok-signed': 'SECabc123', 'tok-open': undefined }, () => NOW)
let settings: Record<string, unknown>
let base = ''
before(async () => {
  base = await fake.start()
  settings = {
    webhooks: [
      { name: 'ops', url: `${base}/robot/send?access_token=tok-signed`, secret: 'SECabc123' },
      { name: 'open', url: `${base}/robot/send?access_token=tok-open` },
      { name: 'badsig', url: `${base}/robot/send?access_token=tok-signed`, secret: 'SECwrong' },
    ],
  }
})
after(() => fake.close())

test('the URL carries timestamp (ms) and the URL-encoded documented signature; markdown with a title and @', async () => {
  const dt = makeAdapter(dingtalkAdapter, settings, { now: () => NOW })
  await sendWhole(dt, 'ops', { text: '', title: 'Alert', markdown: 'disk **95%** on `db1`', mentions: ['13800000000', 'user7'] })
  const req = fake.accepted.at(-1)!
  const raw = new URL(`http://x${req.path}?${req.query}`)
  assert.equal(raw.searchParams.get('timestamp'), String(NOW))
  assert.equal(encodeURIComponent(req.query.get('sign')!), 'N5P09a4%2Bp1AMJIJWnIvQd2Yxw9%2Bfu%2FoEBnPrjCcsLXk%3D')
  assert.equal(req.json.msgtype, 'markdown')
  assert.equal(req.json.markdown.title, 'Alert')
  assert.equal(req.json.markdown.text, '#### Alert  \ndisk **95%** on `db1`  \n@13800000000 @user7  ')
  assert.deepEqual(req.json.at, { atUserIds: ['user7'], atMobiles: ['13800000000'], isAtAll: false })
})

test('a wrong signature (310000) is final; "too fast" (130101) waits a minute', async () => {
  const dt = makeAdapter(dingtalkAdapter, settings, { now: () => NOW })
  const sig = await sendError(sendWhole(dt, 'badsig', { text: 'x' }))
  assert.equal(sig.retryable, false)
  assert.match(sig.message, /errcode 310000/)
  assert.doesNotMatch(sig.message, /tok-signed|SECwrong/)
  await checkFaults(fake, dt, 'open', 60_000)
})

test('a message of 50,000 characters arrives in bodies under the 20,000-byte limit (no 460101)', async () => {
  const dt = makeAdapter(dingtalkAdapter, settings, { now: () => NOW })
  const before = fake.accepted.length
  const parts = await sendWhole(dt, 'ops', longMessage())
  const sent = fake.accepted.slice(before)
  assert.equal(sent.length, parts)
  for (const r of sent) assert.ok(r.raw.length <= 20_000, `${r.raw.length} bytes`)
  assert.match(sent[0].json.markdown.text, /^\(1\/\d+\)/)
})
