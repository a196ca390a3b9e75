// Each adapter renders mentions natively against its fake: who the platform notifies is exactly the people resolved
// for that instance; @all only with mentionAll; payload text and stray ids ("all", "@all", "everyone") never notify.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { fakeDingTalk } from '../../test/fakes/dingtalk.js'
import { fakeDiscord } from '../../test/fakes/discord.js'
import { fakeFeishu } from '../../test/fakes/feishu.js'
import { makeAdapter, sendWhole } from '../../test/fakes/harness.js'
import { notified } from '../../test/fakes/mentions.js'
import { onebotSpec } from '../../test/fakes/onebot.js'
import { FakePlatform } from '../../test/fakes/platform.js'
import { fakeSlack } from '../../test/fakes/slack.js'
import { FakeSmtp } from '../../test/fakes/smtp.js'
import { fakeTelegram } from '../../test/fakes/telegram.js'
import { fakeWeCom } from '../../test/fakes/wecom.js'
import { peopleSchema } from '../config/people.js'
import type { Message } from '../host/messages.js'
import { withMentions } from '../host/mentions.js'
import type { AdapterFactory, AdapterInstance } from '../host/outbox/adapter.js'
import { dingtalkAdapter } from './dingtalk/index.js'
import { discordAdapter } from './discord/index.js'
import { emailAdapter } from './email/index.js'
import { feishuAdapter } from './feishu/index.js'
import { onebotAdapter } from './onebot_v11/index.js'
import { slackAdapter } from './slack/index.js'
import { telegramAdapter } from './telegram/index.js'
import { wecomAdapter } from './wecom/index.js'

const PINGS = '@all @everyone @here <!channel> <!here> <at user_id="all"></at> <@all> <@80351110224678912> [CQ:at,qq=all] @13800000000'
const people = peopleSchema.parse({
  alice: { name: 'Alice', github: 'alice-gh', email: 'alice@example.com', qq: 10001, tg: 123456789, dc: '80351110224678912', sl: 'U012AB3CD', dt: { mobile: '13800000001' }, wc: { userId: 'zhangsan' }, wct: { mobile: '13800000002' }, fs: 'ou_abc123' },
  bob: { github: 'bob-gh' },
})
// What a plugin sends: a person, an identity, someone unknown, and ids that must never reach everyone.
const message = (extra: Partial<Message> = {}): Message => ({
  title: `Deploy ${PINGS}`,
  text: PINGS,
  fields: [{ name: 'by', value: PINGS }],
  mentions: [{ person: 'alice' }, { github: 'bob-gh' }, { github: 'stranger' }, 'all', '@all', 'everyone', { id: 'all' }, { id: '@all', adapter: 'qq' }],
  ...extra,
})

const TOKEN = '123456:ABC-def_ghi'
const fakes = {
  qq: new FakePlatform(onebotSpec({ atAll: { can: true, remain: 5 } })),
  tg: fakeTelegram(TOKEN),
  dc: fakeDiscord({ '111': 'tok-aaa' }),
  sl: fakeSlack(['/services/T1/B1/secretpath']),
  dt: fakeDingTalk({ 'tok-open': undefined }),
  wc: fakeWeCom(['key-0001-abcdef']),
  fs: fakeFeishu({ 'hook-open': undefined }),
}
const smtp = new FakeSmtp({ user: 'bot', pass: 'smtp-pass-123' })
const adapters: Record<string, { adapter: AdapterInstance; fake?: FakePlatform; channel: string; platform: string }> = {}

function make(name: string, factory: AdapterFactory, settings: Record<string, unknown>, channel: string, fake?: FakePlatform): void {
  adapters[name] = { adapter: withMentions(makeAdapter(factory, settings, { name }), people, name, factory.type), fake, channel, platform: factory.type }
}

before(async () => {
  const url = Object.fromEntries(await Promise.all(Object.entries(fakes).map(async ([k, f]) => [k, await f.start()])))
  const smtpPort = await smtp.start()
  make('qq', onebotAdapter, { url: url.qq }, 'group_123456', fakes.qq)
  make('tg', telegramAdapter, { token: TOKEN, apiBase: url.tg }, 'group_-1001', fakes.tg)
  make('dc', discordAdapter, { webhooks: [{ name: 'dev', url: `${url.dc}/api/webhooks/111/tok-aaa` }] }, 'dev', fakes.dc)
  make('sl', slackAdapter, { webhooks: [{ name: 'ops', url: `${url.sl}/services/T1/B1/secretpath` }] }, 'ops', fakes.sl)
  make('dt', dingtalkAdapter, { webhooks: [{ name: 'ops', url: `${url.dt}/robot/send?access_token=tok-open` }] }, 'ops', fakes.dt)
  make('wc', wecomAdapter, { apiBase: url.wc, webhooks: [{ name: 'ops', key: 'key-0001-abcdef' }] }, 'ops', fakes.wc)
  make('wct', wecomAdapter, { apiBase: url.wc, webhooks: [{ name: 'ops', key: 'key-0001-abcdef' }], format: 'text' }, 'ops', fakes.wc)
  make('fs', feishuAdapter, { webhooks: [{ name: 'ops', url: `${url.fs}/open-apis/bot/v2/hook/hook-open` }] }, 'ops', fakes.fs)
  make('mail', emailAdapter, { host: '127.0.0.1', port: smtpPort, user: 'bot', password: 'smtp-pass-123', from: 'hookcat <bot@example.com>' }, 'ops@example.com')
})
after(async () => {
  await Promise.all(Object.values(fakes).map((f) => f.close()))
  await smtp.close()
})

// Who each instance notifies: Alice by her id there; Bob (no id anywhere) is only named; the stranger and stray ids are nobody.
const EXPECTED: Record<string, string[]> = { qq: ['10001'], tg: ['123456789'], dc: ['80351110224678912'], sl: ['U012AB3CD'], dt: ['13800000001'], wc: ['zhangsan'], wct: ['13800000002'], fs: ['ou_abc123'] }
// Where @all exists, what it looks like to the notified() reader; Discord and Telegram have none of ours.
const ALL: Record<string, boolean> = { qq: true, tg: false, dc: false, sl: true, dt: true, wc: false, wct: true, fs: true }

async function lastRequest(name: string, m: Message) {
  const { adapter, fake, channel } = adapters[name]
  const before = fake!.accepted.length
  const parts = await sendWhole(adapter, channel, m)
  assert.equal(parts, 1, `${name}: one part`)
  assert.equal(fake!.accepted.length, before + 1, `${name}: the platform took the message`)
  return fake!.accepted.at(-1)!
}

test('every adapter notifies exactly the resolved people, names the rest, and payload pings notify nobody', async () => {
  for (const name of Object.keys(EXPECTED)) {
    const req = await lastRequest(name, message())
    assert.deepEqual(notified(adapters[name].platform, req), EXPECTED[name], `${name} notifies`)
    const body = JSON.stringify(req.json)
    assert.match(body, /bob/, `${name}: Bob, with no id there, is named in plain text`)
    assert.doesNotMatch(body, /stranger/, `${name}: someone the people map does not know is not named`)
  }
})

test('native forms: at segments, tg://user links, <@id> with allowed_mentions, <@U…>, @mobile with atMobiles, mentioned_list, <at>', async () => {
  const qq = await lastRequest('qq', message())
  assert.deepEqual(qq.json.message.slice(0, 2), [{ type: 'at', data: { qq: '10001' } }, { type: 'text', data: { text: ' ' } }])
  const tg = await lastRequest('tg', message())
  assert.match(tg.json.text, /<a href="tg:\/\/user\?id=123456789">Alice<\/a> bob/)
  const dc = await lastRequest('dc', message())
  assert.deepEqual(dc.json.allowed_mentions, { parse: [], users: ['80351110224678912'] })
  assert.equal(dc.json.content, '<@80351110224678912> bob')
  const sl = await lastRequest('sl', message())
  assert.match(JSON.stringify(sl.json.blocks), /<@U012AB3CD> bob/)
  const dt = await lastRequest('dt', message())
  assert.deepEqual(dt.json.at, { atUserIds: [], atMobiles: ['13800000001'], isAtAll: false })
  assert.match(dt.json.markdown.text, /@13800000001 bob/)
  const wc = await lastRequest('wc', message())
  assert.match(wc.json.markdown.content, /<@zhangsan> bob/)
  const wct = await lastRequest('wct', message())
  assert.deepEqual([wct.json.text.mentioned_list, wct.json.text.mentioned_mobile_list], [[], ['13800000002']])
  const fs = await lastRequest('fs', message())
  assert.ok(JSON.stringify(fs.json).includes('{"tag":"at","user_id":"ou_abc123","user_name":"Alice"}'))
})

test('mentionAll reaches everyone where the platform has @all, and only then', async () => {
  for (const name of Object.keys(EXPECTED)) {
    const without = notified(adapters[name].platform, await lastRequest(name, message({ mentions: [] })))
    assert.deepEqual(without, [], `${name}: nobody without mentions`)
    const withAll = notified(adapters[name].platform, await lastRequest(name, message({ mentions: [], mentionAll: true })))
    assert.deepEqual(withAll, ALL[name] ? ['all'] : [], `${name} with mentionAll`)
  }
  const dc = await lastRequest('dc', message({ mentionAll: true }))
  assert.deepEqual(dc.json.allowed_mentions.parse, [], 'Discord never lets @everyone through')
})

test('e-mail puts the people it can reach in Cc and names the others', async () => {
  const { adapter, channel } = adapters.mail
  await sendWhole(adapter, channel, message())
  const got = smtp.mails.at(-1)!
  assert.deepEqual(got.to.sort(), ['alice@example.com', 'ops@example.com'], 'the envelope reaches the chat address and Alice')
  const cc = got.parsed.cc
  assert.deepEqual((Array.isArray(cc) ? cc : cc ? [cc] : []).flatMap((c) => c.value.map((v) => v.address)), ['alice@example.com'])
  assert.match(got.parsed.text ?? '', /^bob$/m)
})
