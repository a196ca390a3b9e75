// Discord adapter against a fake webhook endpoint: ?wait=true, content and embeds, 429 retry_after, faults, 2000 limit.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { fakeDiscord } from '../../../test/fakes/discord.js'
import { checkFaults, longMessage, makeAdapter, sendError, sendWhole } from '../../../test/fakes/harness.js'
import { discordAdapter } from './index.js'

const fake = fakeDiscord({ '111': 'tok-aaa', '222': 'tok-bbb' })
let base = ''
let settings: Record<string, unknown>
before(async () => {
  base = await fake.start()
  settings = { webhooks: [{ name: 'ops', url: `${base}/api/webhooks/111/tok-aaa` }, { name: 'dev', url: `${base}/api/webhooks/222/tok-bbb` }], username: 'hookcat' }
})
after(() => fake.close())

test('posts markdown content with ?wait=true to the named webhook; no mass mentions', async () => {
  const dc = makeAdapter(discordAdapter, settings)
  await sendWhole(dc, 'ops', { text: 'ping @everyone', markdown: 'a *b* `c` @everyone' })
  const req = fake.accepted.at(-1)!
  assert.equal(req.path, '/api/webhooks/111/tok-aaa')
  assert.equal(req.query.get('wait'), 'true')
  assert.equal(req.json.content, 'a *b* `c` @\u200beveryone')
  assert.deepEqual(req.json.allowed_mentions, { parse: [], users: [] })
  assert.equal(req.json.username, 'hookcat')
})

test('a message with title, fields and level becomes an embed', async () => {
  const dc = makeAdapter(discordAdapter, settings)
  await sendWhole(dc, 'dev', { text: 'x', title: 'CI failed', level: 'error', fields: [{ name: 'Branch', value: 'main', inline: true }], link: { url: 'https://ci.example/9' }, mentions: ['42'] })
  const req = fake.accepted.at(-1)!
  assert.equal(req.path, '/api/webhooks/222/tok-bbb')
  const [embed] = req.json.embeds
  assert.equal(embed.title, '❗ CI failed', 'the level gives the title its one icon')
  assert.equal(embed.url, 'https://ci.example/9')
  assert.equal(embed.color, 0xe74c3c)
  assert.deepEqual(embed.fields, [{ name: 'Branch', value: 'main', inline: true }])
  assert.equal(req.json.content, '<@42>')
  assert.deepEqual(req.json.allowed_mentions.users, ['42'])
})

test('an unknown webhook (404) is final and the token is not in the error', async () => {
  const dc = makeAdapter(discordAdapter, { webhooks: [{ name: 'gone', url: `${base}/api/webhooks/111/tok-revoked` }] })
  const error = await sendError(sendWhole(dc, 'gone', { text: 'x' }))
  assert.equal(error.httpStatus, 404)
  assert.equal(error.retryable, false)
  assert.match(error.message, /Unknown Webhook/)
  assert.doesNotMatch(error.message, /tok-revoked/)
})

test('429 with retry_after (seconds, decimals) and Retry-After, 5xx, timeouts and drops are retryable', async () => {
  const dc = makeAdapter(discordAdapter, settings)
  fake.retryAfterSeconds = 1.5
  await checkFaults(fake, dc, 'ops', 1500)
})

test('the channel must be a configured webhook name', () => {
  const dc = makeAdapter(discordAdapter, settings)
  assert.equal(dc.checkChannel!('ops'), undefined)
  assert.match(dc.checkChannel!('nope') ?? '', /no Discord webhook named "nope".*ops, dev/)
})

test('a message of 50,000 characters arrives in parts of at most 2000 characters', async () => {
  const dc = makeAdapter(discordAdapter, { ...settings, maxParts: 40 })
  const before = fake.accepted.length
  const parts = await sendWhole(dc, 'ops', longMessage())
  const texts = fake.accepted.slice(before).map((r) => r.json.content as string)
  assert.equal(texts.length, parts)
  assert.ok(parts >= 25)
  texts.forEach((t, i) => {
    assert.ok(t.length <= 2000, `part ${i}: ${t.length}`)
    assert.ok(t.startsWith(`(${i + 1}/${parts})`))
  })
})
