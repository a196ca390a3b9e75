// Slack adapter against a fake incoming webhook: mrkdwn text, text answers, 429 Retry-After, faults, 40,000 limit.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { fakeSlack } from '../../../test/fakes/slack.js'
import { checkFaults, longMessage, makeAdapter, sendError, sendWhole } from '../../../test/fakes/harness.js'
import { slackAdapter } from './index.js'

const fake = fakeSlack(['/services/T1/B1/secretpath'])
let settings: Record<string, unknown>
before(async () => {
  const base = await fake.start()
  settings = { webhooks: [{ name: 'alerts', url: `${base}/services/T1/B1/secretpath` }, { name: 'gone', url: `${base}/services/T1/B1/removed` }] }
})
after(() => fake.close())

test('posts mrkdwn with &, < and > as entities and links as <url|label>', async () => {
  const sl = makeAdapter(slackAdapter, settings)
  await sendWhole(sl, 'alerts', { text: '', markdown: '**a<b** & [docs](https://x.example/?q=1)', mentions: ['U024BE7LH'] })
  assert.equal(fake.accepted.at(-1)!.json.text, '*a&lt;b* &amp; <https://x.example/?q=1|docs>\n<@U024BE7LH>')
})

test('a removed webhook (404 no_service) is final and its URL is not in the error', async () => {
  const sl = makeAdapter(slackAdapter, settings)
  const error = await sendError(sendWhole(sl, 'gone', { text: 'x' }))
  assert.equal(error.retryable, false)
  assert.match(error.message, /no_service/)
  assert.doesNotMatch(error.message, /removed/)
})

test('429 with Retry-After, 5xx, timeouts and drops are retryable', async () => {
  const sl = makeAdapter(slackAdapter, settings)
  fake.retryAfterSeconds = 30
  await checkFaults(fake, sl, 'alerts', 30_000)
})

test('a message of 50,000 characters arrives in parts of at most 40,000 characters', async () => {
  const sl = makeAdapter(slackAdapter, settings)
  const before = fake.accepted.length
  assert.equal(await sendWhole(sl, 'alerts', longMessage()), 2)
  for (const r of fake.accepted.slice(before)) assert.ok((r.json.text as string).length <= 40_000)
  assert.match(fake.accepted.at(-1)!.json.text, /^\(2\/2\)/)
})
