// Feishu adapter against a fake custom bot: signed post messages (fixed clock), codes in the body, faults, 20 KB bodies.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { fakeFeishu } from '../../../test/fakes/feishu.js'
import { checkFaults, longMessage, makeAdapter, sendError, sendWhole } from '../../../test/fakes/harness.js'
import { feishuAdapter } from './index.js'

const NOW = 1_700_000_000_123
const fake = fakeFeishu({ 'hook-signed': 'SECabc123', 'hook-open': undefined }, () => NOW)
let settings: Record<string, unknown>
before(async () => {
  const base = await fake.start()
  settings = {
    webhooks: [
      { name: 'ops', url: `${base}/open-apis/bot/v2/hook/hook-signed`, secret: 'SECabc123' },
      { name: 'open', url: `${base}/open-apis/bot/v2/hook/hook-open` },
      { name: 'badsig', url: `${base}/open-apis/bot/v2/hook/hook-signed`, secret: 'wrong-secret' },
    ],
  }
})
after(() => fake.close())

test('a signed post: timestamp in seconds and the documented signature, rich text as styled segments', async () => {
  const fs = makeAdapter(feishuAdapter, settings, { now: () => NOW })
  await sendWhole(fs, 'ops', { text: '', title: 'Release', markdown: '**v2** is out: [notes](https://x.example/n)', mentions: ['ou_1'] })
  const b = fake.accepted.at(-1)!.json
  assert.equal(b.timestamp, '1700000000')
  assert.equal(b.sign, 'UqhI0v4zAkSwI4hNYBuHQvnrAqshA0UaeBGHCUMPX70=')
  assert.equal(b.msg_type, 'post')
  assert.equal(b.content.post.zh_cn.title, 'Release')
  assert.deepEqual(b.content.post.zh_cn.content, [
    [{ tag: 'text', text: 'v2', style: ['bold'] }, { tag: 'text', text: ' is out: ' }, { tag: 'a', text: 'notes', href: 'https://x.example/n' }],
    [{ tag: 'at', user_id: 'ou_1' }],
  ])
})

test('a bot without a secret gets no signature; a wrong secret is a final error from the body code', async () => {
  const fs = makeAdapter(feishuAdapter, settings, { now: () => NOW })
  await sendWhole(fs, 'open', { text: 'plain' })
  assert.equal(fake.accepted.at(-1)!.json.sign, undefined)
  const error = await sendError(sendWhole(fs, 'badsig', { text: 'x' }))
  assert.equal(error.retryable, false)
  assert.match(error.message, /code 19021/)
  assert.doesNotMatch(error.message, /wrong-secret|hook-signed/)
})

test('frequency limits (code 11232), 5xx, timeouts and drops are retryable', async () => {
  const fs = makeAdapter(feishuAdapter, settings, { now: () => NOW })
  await checkFaults(fake, fs, 'ops', 2000)
})

test('a message of 50,000 characters arrives in bodies under 20 KB', async () => {
  const fs = makeAdapter(feishuAdapter, settings, { now: () => NOW })
  const before = fake.accepted.length
  const parts = await sendWhole(fs, 'ops', longMessage())
  const sent = fake.accepted.slice(before)
  assert.equal(sent.length, parts)
  assert.ok(parts >= 3)
  for (const r of sent) assert.ok(r.raw.length <= 20 * 1024, `${r.raw.length} bytes`)
  assert.equal(sent[0].json.content.post.zh_cn.content[0][0].text, `(1/${parts})`)
})
