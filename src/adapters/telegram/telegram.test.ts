// Telegram adapter against a fake Bot API: sendMessage shape, HTML escaping, parse fallback, 429 retry_after, faults, 4096 limit.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { fakeTelegram } from '../../../test/fakes/telegram.js'
import { checkFaults, longMessage, makeAdapter, sendError, sendWhole } from '../../../test/fakes/harness.js'
import { telegramAdapter } from './index.js'

const TOKEN = '123456:ABC-secret_token'
const fake = fakeTelegram(TOKEN)
let apiBase = ''
before(async () => {
  apiBase = await fake.start()
})
after(() => fake.close())

test('sendMessage with chat_id, HTML text escaped, to groups, chats and channels', async () => {
  const tg = makeAdapter(telegramAdapter, { token: TOKEN, apiBase })
  await sendWhole(tg, 'group_-1001234567890', { text: '', title: 'Deploy <prod> & co', markdown: '**done** in `1 < 2` [log](https://ci.example/1?a=1&b=2)', level: 'success' })
  const req = fake.accepted.at(-1)!
  assert.equal(req.path, `/bot${TOKEN}/sendMessage`)
  assert.equal(req.json.chat_id, '-1001234567890')
  assert.equal(req.json.parse_mode, 'HTML')
  assert.equal(req.json.text, '<b>✅ Deploy &lt;prod&gt; &amp; co</b>\n<b>done</b> in <code>1 &lt; 2</code> <a href="https://ci.example/1?a=1&amp;b=2">log</a>')
  await sendWhole(tg, '10001', { text: 'hi' })
  assert.equal(fake.accepted.at(-1)!.json.chat_id, '10001')
  await sendWhole(tg, '@news_channel', { text: 'hi' })
  assert.equal(fake.accepted.at(-1)!.json.chat_id, '@news_channel')
})

test('MarkdownV2 escapes every reserved character', async () => {
  const tg = makeAdapter(telegramAdapter, { token: TOKEN, apiBase, parseMode: 'MarkdownV2' })
  await sendWhole(tg, '10001', { text: 'v1.2-rc! (a+b=c) #1 {x} |y| ~z~ >q', markdown: '**v1.2-rc!** (a+b=c) #1 {x}' })
  assert.equal(fake.accepted.at(-1)!.json.text, '*v1\\.2\\-rc\\!* \\(a\\+b\\=c\\) \\#1 \\{x\\}')
})

test('markup Telegram cannot parse is sent again as plain text, not lost', async () => {
  const tg = makeAdapter(telegramAdapter, { token: TOKEN, apiBase, parseMode: 'MarkdownV2' })
  // An unescaped "." slipped through (here: forced by a text the fake refuses) → one plain retry within the same send.
  const render = tg.render!.bind(tg)
  const [part] = render('10001', { text: 'a.b' }) as Array<{ text: string; plainText: string }>
  await tg.send('10001', { text: 'a.b' }, { messageId: 'm', attempt: 1, signal: AbortSignal.timeout(2000), payload: { ...part, text: 'a.b' } })
  const last = fake.accepted.at(-1)!
  assert.equal(last.json.parse_mode, undefined)
  assert.equal(last.json.text, 'a.b')
})

test('a wrong token is final and never shown in the error', async () => {
  const tg = makeAdapter(telegramAdapter, { token: '999:wrong-token-value', apiBase })
  const error = await sendError(sendWhole(tg, '10001', { text: 'x' }))
  assert.equal(error.httpStatus, 401)
  assert.equal(error.retryable, false)
  assert.doesNotMatch(error.message, /wrong-token-value/)
})

test('429 with parameters.retry_after, 5xx, timeouts and dropped connections are retryable', async () => {
  const tg = makeAdapter(telegramAdapter, { token: TOKEN, apiBase })
  fake.retryAfterSeconds = 7
  await checkFaults(fake, tg, 'group_-100123', 7000)
})

test('channels are checked strictly', () => {
  const tg = makeAdapter(telegramAdapter, { token: TOKEN, apiBase })
  for (const ok of ['group_-100123', '-100123', '10001', '@news_channel']) assert.equal(tg.checkChannel!(ok), undefined, ok)
  for (const bad of ['group_abc', 'group_', '@ab', 'news', '1 2']) assert.match(tg.checkChannel!(bad) ?? '', /Telegram channel/, bad)
})

test('a message of 50,000 characters arrives in parts within 4096 characters, marked (i/n)', async () => {
  const tg = makeAdapter(telegramAdapter, { token: TOKEN, apiBase, maxParts: 20 })
  const before = fake.accepted.length
  const parts = await sendWhole(tg, 'group_-1009', longMessage())
  const texts = fake.accepted.slice(before).map((r) => r.json.text as string)
  assert.equal(texts.length, parts)
  assert.ok(parts >= 13)
  texts.forEach((t, i) => {
    assert.ok(t.length <= 4096, `part ${i}: ${t.length}`)
    assert.ok(t.startsWith(`(${i + 1}/${parts})\n`))
  })
})

test('beyond maxParts the last part ends with the truncation marker and the source link', async () => {
  const tg = makeAdapter(telegramAdapter, { token: TOKEN, apiBase, maxParts: 3 })
  const before = fake.accepted.length
  assert.equal(await sendWhole(tg, 'group_-1009', longMessage()), 3)
  const last = fake.accepted.slice(before).at(-1)!.json.text as string
  assert.match(last, /… \[truncated\]\n🔗 <a href="https:\/\/example\.com\/source\/1">source<\/a>$/)
})
