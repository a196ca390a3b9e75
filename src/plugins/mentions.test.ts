// Mentions through the real server over HTTP: a GitHub pull request's reviewers reach QQ as `at` segments and Discord
// as <@id> with allowed_mentions; an Alertmanager critical alert mentions the on-call group; @all only from the route.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { after, before, test } from 'node:test'
import { fakeDiscord } from '../../test/fakes/discord.js'
import { onebotSpec } from '../../test/fakes/onebot.js'
import { FakePlatform, type Recorded } from '../../test/fakes/platform.js'
import { createTestHost } from '../testing/index.js'

const fixture = (path: string) => JSON.parse(readFileSync(fileURLToPath(new URL(`../../test/fixtures/senders/${path}.json`, import.meta.url)), 'utf8'))
// What a sender may put in a title to ping everyone, on each platform's syntax.
const PINGS = '@all @everyone @here <!channel> <!everyone> <at user_id="all"></at> [CQ:at,qq=all] <@80351110224678912>'

const qqSpec = onebotSpec({ atAll: { can: true, remain: 1 } })
const qq = new FakePlatform(qqSpec)
const discord = fakeDiscord({ '111': 'tok-aaa' })
let qqUrl = ''
let dcUrl = ''
before(async () => {
  qqUrl = await qq.start()
  dcUrl = await discord.start()
})
after(async () => {
  await qq.close()
  await discord.close()
})

async function arrived(fake: FakePlatform, count: number): Promise<Recorded[]> {
  const deadline = Date.now() + 15_000
  while (fake.accepted.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
  assert.equal(fake.accepted.length, count, `${fake.spec.name} received ${fake.accepted.length} messages, expected ${count}`)
  return fake.accepted.slice(-1)
}

const adapters = () => ({ qq: { type: 'onebot_v11', url: qqUrl }, dc: { type: 'discord', webhooks: [{ name: 'dev', url: `${dcUrl}/api/webhooks/111/tok-aaa` }] } })

const people = {
  hubot: { github: 'HuBot', name: 'Hubot', qq: 10001, dc: '80351110224678912' },
  monalisa: { github: 'monalisa' },
  codertocat: { github: 'Codertocat', qq: 10002 },
  carol: { qq: '10003' },
  dave: { qq: 10004, dc: '222222222222222222' },
  oncall: ['carol', 'dave'],
}

test('GitHub: a pull request with requested reviewers mentions them on QQ (at segments) and Discord (<@id>, allowed_mentions); payload pings stay text', async () => {
  const t = await createTestHost({
    builtins: true,
    config: {
      adapters: adapters(),
      people,
      plugins: {
        github: {
          config: {
            webhookSecret: 'gh-secret-1',
            locale: 'en',
            routes: [
              { repository: 'Codertocat/*', chats: ['qq-group_123456', 'dc-dev'] },
              { repository: 'octo-org/*', chats: ['qq-group_123456'] },
              { repository: 'octo-org/octo-repo', chats: ['qq-group_777777'], mentionAll: true, filters: { events: ['workflow_run'] } },
            ],
          },
        },
      },
    },
  })
  try {
    const payload = fixture('github/pull_request.opened')
    payload.pull_request.title = `Fix ${PINGS}`
    payload.pull_request.body = PINGS
    const qqBefore = qq.accepted.length
    const dcBefore = discord.accepted.length
    const r = await t.send.github('github', '/github', 'pull_request', payload, { secret: 'gh-secret-1' })
    assert.equal(r.status, 202, r.text)
    assert.equal((await t.settled(r.json().id)).status, 'done')

    const [group] = await arrived(qq, qqBefore + 1)
    const ats = group.json.message.filter((s: { type: string }) => s.type === 'at')
    assert.deepEqual(ats, [{ type: 'at', data: { qq: '10001' } }], 'only the reviewer with a QQ number is an at segment; no @all')
    const text = qq.spec.textOf(group)
    assert.match(text, /monalisa/, 'a reviewer without a QQ number is named in plain text')
    assert.ok(text.includes('[CQ:at,qq=all]') && text.includes('@all'), 'payload pings arrive as literal text')
    assert.equal(qqSpec.atAllQueries.length, 0, 'no @all was asked for')
    await arrived(discord, dcBefore + 1)

    const [hook] = await arrived(discord, dcBefore + 1)
    assert.deepEqual(hook.json.allowed_mentions, { parse: [], users: ['80351110224678912'] })
    assert.match(hook.json.content, /^<@80351110224678912> monalisa$/)
    assert.doesNotMatch(JSON.stringify(hook.json.embeds), /(?<!\\)<@\d/, 'the payload\'s <@id> is not a mention in the embed')

    // A failed run mentions the pusher; only the route that says mentionAll adds @all (checked with the group's quota).
    const failed = await t.send.github('github', '/github', 'workflow_run', fixture('github/workflow_run.failure'), { secret: 'gh-secret-1' })
    assert.equal((await t.settled(failed.json().id)).status, 'done')
    await arrived(qq, qqBefore + 3)
    const atsOf = (group: number) => qq.accepted.slice(qqBefore + 1).find((r) => r.json.group_id === group)!.json.message.filter((s: { type: string }) => s.type === 'at').map((s: { data: { qq: string } }) => s.data.qq)
    assert.deepEqual(atsOf(123456), ['10002'])
    assert.deepEqual(atsOf(777777), ['all', '10002'])
    assert.deepEqual(qqSpec.atAllQueries, [777777])
  } finally {
    await t.close()
  }
})

test('Alertmanager: a critical alert mentions the on-call group and @all once the quota allows; resolved mentions nobody', async () => {
  const t = await createTestHost({
    builtins: true,
    config: {
      adapters: adapters(),
      people,
      plugins: { alertmanager: { config: { bearerToken: 'am-token-123', alertChat: 'qq-group_654321', dedupWindow: 0, mention: { critical: ['oncall'], warning: ['hubot'] }, mentionAll: ['critical'] } } },
    },
  })
  const headers = { 'content-type': 'application/json', authorization: 'Bearer am-token-123' }
  try {
    const firing = fixture('alertmanager/firing')
    firing.commonLabels.severity = 'critical'
    for (const a of firing.alerts) a.labels.severity = 'critical'
    firing.commonAnnotations = { ...firing.commonAnnotations, summary: PINGS }
    qqSpec.atAll = { can: true, remain: 1 }
    let before = qq.accepted.length
    assert.equal((await t.webhook('alertmanager', '/alertmanager', { body: JSON.stringify(firing), headers })).json().status, 'sent')
    let [msg] = await arrived(qq, before + 1)
    assert.deepEqual(
      msg.json.message.filter((s: { type: string }) => s.type === 'at').map((s: { data: { qq: string } }) => s.data.qq),
      ['all', '10003', '10004'],
      '@all (allowed by get_group_at_all_remain), then the on-call people',
    )
    assert.deepEqual(qqSpec.atAllQueries.at(-1), 654321)

    // The quota is used up: the message still goes, with the on-call people and a note instead of @all.
    before = qq.accepted.length
    firing.groupKey = `${firing.groupKey}-again`
    assert.equal((await t.webhook('alertmanager', '/alertmanager', { body: JSON.stringify(firing), headers })).json().status, 'sent')
    ;[msg] = await arrived(qq, before + 1)
    assert.deepEqual(
      msg.json.message.filter((s: { type: string }) => s.type === 'at').map((s: { data: { qq: string } }) => s.data.qq),
      ['10003', '10004'],
    )
    assert.match(qq.spec.textOf(msg), /@全体成员 不可用.*@all unavailable/)

    const resolved = fixture('alertmanager/resolved')
    before = qq.accepted.length
    assert.equal((await t.webhook('alertmanager', '/alertmanager', { body: JSON.stringify(resolved), headers })).json().status, 'sent')
    ;[msg] = await arrived(qq, before + 1)
    assert.equal(msg.json.message.filter((s: { type: string }) => s.type === 'at').length, 0, 'a resolve mentions nobody')
  } finally {
    await t.close()
  }
})

test('an unknown adapter instance, group member or mentioned name stops start-up naming the path', async () => {
  await assert.rejects(
    createTestHost({ builtins: true, config: { people: { alice: { qqq: 1 }, ops: ['alice', 'nobody'] }, plugins: { alertmanager: { config: { mention: { critical: ['ops', 'oncal'] } } } } } }),
    (error: Error & { problems?: string[] }) => {
      const text = [error.message, ...(error.problems ?? [])].join('\n')
      assert.match(text, /people\.alice\.qqq: no adapter instance is named "qqq"/)
      assert.match(text, /people\.ops\[1\]: "nobody" is not a person in people/)
      assert.match(text, /plugins\.alertmanager\.config\.mention\.critical\[1\]: "oncal" is not a person or group in people/)
      return true
    },
  )
})
