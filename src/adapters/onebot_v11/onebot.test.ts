// OneBot v11 adapter against a fake OneBot HTTP API: endpoints, Bearer token, segments, retcodes, faults, long messages.
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { fakeOneBot, onebotSpec } from '../../../test/fakes/onebot.js'
import { FakePlatform } from '../../../test/fakes/platform.js'
import { checkFaults, longMessage, makeAdapter, sendError, sendWhole } from '../../../test/fakes/harness.js'
import { onebotAdapter } from './index.js'

const spec = onebotSpec({ accessToken: 'tok-secret-1' })
const fake = new FakePlatform(spec)
let url = ''
before(async () => {
  url = await fake.start()
})
after(() => fake.close())

test('sends to groups and private chats with the Bearer token, as segments', async () => {
  const qq = makeAdapter(onebotAdapter, { url, accessToken: 'tok-secret-1' })
  await sendWhole(qq, 'group_123456', { text: 'hello', mentions: ['10001'], images: [{ url: 'https://example.com/a.png' }] })
  await sendWhole(qq, 'private_10001', { text: 'psst' })
  const [group, direct] = fake.accepted.slice(-2)
  assert.equal(group.path, '/send_group_msg')
  assert.equal(group.headers.authorization, 'Bearer tok-secret-1')
  assert.equal(group.json.group_id, 123456)
  assert.equal(group.json.auto_escape, false)
  assert.deepEqual(group.json.message[0], { type: 'at', data: { qq: '10001' } })
  assert.deepEqual(group.json.message.at(-1), { type: 'image', data: { file: 'https://example.com/a.png' } })
  assert.equal(direct.path, '/send_private_msg')
  assert.equal(direct.json.user_id, 10001)
  assert.equal(fake.spec.textOf(direct), 'psst')
})

test('an image by path is read from the plugin data directory and sent inline; a path outside it is refused', async () => {
  const root = mkdtempSync(join(tmpdir(), 'hookcat-ob-'))
  mkdirSync(join(root, 'plugins', 'p1'), { recursive: true })
  writeFileSync(join(root, 'plugins', 'p1', 'chart.png'), Buffer.from('PNGDATA'))
  const qq = makeAdapter(onebotAdapter, { url, accessToken: 'tok-secret-1' }, { dataDir: root })
  await sendWhole(qq, 'group_123456', { text: 'chart', images: [{ path: 'chart.png' }] }, 5000, 'p1')
  assert.deepEqual(fake.accepted.at(-1)!.json.message.at(-1), { type: 'image', data: { file: `base64://${Buffer.from('PNGDATA').toString('base64')}` } })
  const escape = await sendError(sendWhole(qq, 'group_123456', { text: 'x', images: [{ path: '../p2/secret.png' }] }, 5000, 'p1'))
  assert.equal(escape.retryable, false)
})

test('a missing or wrong token is final (401/403), and the token never appears in the error', async () => {
  const none = makeAdapter(onebotAdapter, { url })
  const missing = await sendError(sendWhole(none, 'group_123456', { text: 'x' }))
  assert.equal(missing.httpStatus, 401)
  assert.equal(missing.retryable, false)
  const wrong = makeAdapter(onebotAdapter, { url, accessToken: 'tok-wrong-2' })
  const refused = await sendError(sendWhole(wrong, 'group_123456', { text: 'x' }))
  assert.equal(refused.httpStatus, 403)
  assert.equal(refused.retryable, false)
  assert.doesNotMatch(refused.message, /tok-wrong-2/)
})

test('a retcode other than 0 is an error: invalid params are final (go-cqhttp and NapCat codes), a failed send is retried', async () => {
  const qq = makeAdapter(onebotAdapter, { url, accessToken: 'tok-secret-1' })
  spec.retcodes.push(100)
  const bad = await sendError(sendWhole(qq, 'group_123456', { text: 'x' }))
  assert.equal(bad.retryable, false)
  assert.match(bad.message, /retcode 100/)
  spec.retcodes.push(1200)
  const failed = await sendError(sendWhole(qq, 'group_123456', { text: 'x' }))
  assert.equal(failed.retryable, true)
  // NapCat's schema check: 400 over HTTP, 1400 over WebSocket (packages/napcat-onebot/action/OneBotAction.ts).
  for (const code of [400, 1400]) {
    spec.retcodes.push(code)
    assert.equal((await sendError(sendWhole(qq, 'group_123456', { text: 'x' }))).retryable, false, `retcode ${code}`)
  }
  spec.retcodes.push(200)
  assert.equal((await sendError(sendWhole(qq, 'group_123456', { text: 'x' }))).retryable, true, 'NapCat HTTP: the action threw')
})

test('rate limits, server errors, timeouts and dropped connections are retryable', async () => {
  const qq = makeAdapter(onebotAdapter, { url, accessToken: 'tok-secret-1' })
  fake.retryAfterSeconds = 3
  await checkFaults(fake, qq, 'group_123456', 3000)
})

test('channels are checked strictly', () => {
  const qq = makeAdapter(onebotAdapter, { url })
  assert.equal(qq.checkChannel!('group_123456'), undefined)
  assert.equal(qq.checkChannel!('private_10001'), undefined)
  for (const bad of ['group_', 'group_abc', '123456', 'group_12', 'channel_123456', 'group_123456 ']) assert.match(qq.checkChannel!(bad) ?? '', /group_<group number>/, bad)
})

test('a message of 50,000 characters arrives in parts of at most 4500 characters, marked (i/n)', async () => {
  const other = fakeOneBot()
  const base = await other.start()
  try {
    const qq = makeAdapter(onebotAdapter, { url: base, maxParts: 20 })
    const parts = await sendWhole(qq, 'group_1234567', longMessage())
    const texts = other.texts()
    assert.equal(texts.length, parts)
    assert.ok(parts > 10)
    texts.forEach((t, i) => {
      assert.ok(t.length <= 4500, `part ${i} has ${t.length} characters`)
      assert.ok(t.startsWith(`(${i + 1}/${parts})\n`))
    })
    assert.match(texts.at(-1)!, /example\.com\/source\/1/, 'the link to the source survives')
  } finally {
    await other.close()
  }
})
