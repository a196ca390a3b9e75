// Two-way OneBot over real sockets against a fake NapCat: /hookcat subscribe through each transport, refusals, dedup, restart, reconnect.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { definePlugin } from '../../index.js'
import { createTestHost, type TestHost } from '../../testing/index.js'
import { waitFor } from '../../testing/helpers.js'
import { fakeOneBot } from '../../../test/fakes/onebot.js'
import { FakeNapCatServer, heartbeat, messageEvent, postEvent, reverseClient, type ApiCall } from '../../../test/fakes/napcat.js'

const GH = 'gh-secret-two-way'
const TOKEN = 'napcat-token-1'
const SELF = 10001
const GROUP = 123456
const ADMIN = 20001
const MEMBER = 20002
const push = (() => {
  const p = JSON.parse(readFileSync(fileURLToPath(new URL('../../../test/fixtures/senders/github/push.json', import.meta.url)), 'utf8'))
  p.repository = { ...p.repository, full_name: 'acme/api', name: 'api', owner: { ...p.repository.owner, login: 'acme', name: 'acme' } }
  return p
})()

const textOf = (call: ApiCall): string => (call.params?.message ?? []).filter((s: any) => s.type === 'text').map((s: any) => s.data.text).join('')
const toGroup = (calls: ApiCall[]) => calls.filter((c) => c.action === 'send_group_msg' && c.params?.group_id === GROUP)

function hostConfig(adapter: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    adapters: { qq: { type: 'onebot_v11', ...adapter } },
    outbox: { backoffBase: 100, backoffMax: 500 },
    plugins: { github: { config: { webhookSecret: GH, locale: 'en' } } },
    ...extra,
  }
}

/** The scenario every transport must pass: a member is refused, an admin subscribes, the next push arrives, list shows it. */
async function subscribeScenario(t: TestHost, live: () => ApiCall[], say: (e: Record<string, unknown>) => Promise<void>, ids: { base: number }) {
  const calls = { get all() { return live() } }
  const before = toGroup(calls.all).length
  await say(messageEvent({ selfId: SELF, groupId: GROUP, userId: MEMBER, role: 'member', text: '/hookcat subscribe github acme/api', messageId: ids.base + 1 }))
  const refusal = await waitFor(() => toGroup(calls.all)[before], 'the refusal')
  assert.match(textOf(refusal), /只有群主|only the group owner/)
  assert.deepEqual(refusal.params.message[0], { type: 'reply', data: { id: String(ids.base + 1) } }, 'the answer quotes the command')

  await say(messageEvent({ selfId: SELF, groupId: GROUP, userId: ADMIN, role: 'admin', text: '/hookcat subscribe github acme/api', messageId: ids.base + 2 }))
  const ok = await waitFor(() => toGroup(calls.all)[before + 1], 'the subscribe answer')
  assert.match(textOf(ok), /acme\/api/)
  assert.ok(textOf(ok).includes(`${t.url}/api/plugin/github/webhook/github`), textOf(ok))
  assert.ok(!textOf(ok).includes(GH), 'the secret is never shown')

  const r = await t.send.github('github', '/github', 'push', push, { secret: GH })
  assert.equal(r.status, 202, r.text)
  const pushed = await waitFor(() => toGroup(calls.all).slice(before + 2).find((c) => /acme\/api/.test(textOf(c))), 'the push in the group')
  assert.ok(pushed)

  await say(messageEvent({ selfId: SELF, groupId: GROUP, userId: ADMIN, role: 'owner', text: '/hookcat list', messageId: ids.base + 3 }))
  const list = await waitFor(() => toGroup(calls.all).slice(before + 3).find((c) => /subscribed here|群内订阅/.test(textOf(c))), 'the list')
  assert.match(textOf(list), /github acme\/api/)
}

test('forward WebSocket: subscribe, push, list; a repeated message id runs once; malformed frames run nothing; the state shows in /readyz and /metrics', async () => {
  const fake = new FakeNapCatServer({ token: TOKEN, selfId: SELF })
  await fake.start()
  const t = await createTestHost({ builtins: true, config: hostConfig({ transport: 'ws', url: fake.url, accessToken: TOKEN }) as never })
  try {
    await waitFor(() => fake.clients.length === 1, 'hookcat connected')
    const say = async (e: unknown) => fake.push(e)
    await subscribeScenario(t, () => fake.calls, say, { base: 100 })

    const answered = toGroup(fake.calls).length
    // The same message again (NapCat re-sends after a reconnect): stored once, answered once.
    fake.push(messageEvent({ selfId: SELF, groupId: GROUP, userId: ADMIN, role: 'admin', text: '/hookcat subscribe github acme/api', messageId: 102 }))
    for (const frame of ['not json', '[]', '{"post_type":"message"}', JSON.stringify({ self_id: SELF, post_type: 'message', message_type: 'group', message_id: 5 }), JSON.stringify(heartbeat(SELF))]) fake.push(frame)
    fake.clients[0].send(Buffer.from([1, 2, 3]), { binary: true })
    fake.push(messageEvent({ selfId: SELF, groupId: GROUP, userId: ADMIN, role: 'admin', text: '/hookcat help', messageId: 200 }))
    const help = await waitFor(() => toGroup(fake.calls)[answered], 'the help answer')
    assert.match(textOf(help), /\/hookcat subscribe <github\|gitlab\|gitea> <target> \[events…\]/)
    assert.equal(toGroup(fake.calls).length, answered + 1, 'the repeated message and the malformed frames ran nothing')
    assert.ok(t.logs.some((l) => l.msg === 'malformed OneBot event ignored'))

    const ready = (await t.request('/readyz')).json()
    assert.equal(ready.links.qq.state, 'up')
    assert.match((await t.request('/metrics')).text, /hookcat_adapter_connected\{adapter="qq"\} 1/)
  } finally {
    await t.close()
    await fake.stop()
  }
})

test('forward WebSocket reconnect: messages queued while NapCat is away arrive once each, in order, after it comes back', async () => {
  const fake = new FakeNapCatServer({ token: TOKEN, selfId: SELF })
  await fake.start()
  const sender = definePlugin({
    name: 'sender',
    version: '1.0.0',
    setup(plugin) {
      plugin.mountWebhook('/say/:n', async (req) => plugin.send(`qq-group_${GROUP}`, `msg ${req.params.n}`), { public: true })
    },
  })
  // A rate limit well above the test's messages: the point is the reconnect, not the pacing.
  const t = await createTestHost({ plugins: [sender], config: hostConfig({ transport: 'ws', url: fake.url, accessToken: TOKEN, rateLimit: { perChat: { count: 100, interval: '1s' } } }) as never })
  try {
    await waitFor(() => fake.clients.length === 1, 'hookcat connected')
    assert.equal((await t.webhook('sender', '/say/0')).status, 200)
    await waitFor(() => toGroup(fake.calls).length === 1, 'the first message')
    const port = fake.port
    await fake.stop()
    await waitFor(async () => (await t.request('/readyz')).json().links.qq.state !== 'up', 'hookcat saw the link go down')
    for (let i = 1; i <= 6; i++) assert.equal((await t.webhook('sender', `/say/${i}`)).status, 200)
    await fake.start(port)
    await waitFor(() => toGroup(fake.calls).length >= 7, 'the queued messages', 15_000)
    // Give a wrong duplicate the chance to show up behind the last one: the next message must be the first after it.
    assert.equal((await t.webhook('sender', '/say/7')).status, 200)
    await waitFor(() => toGroup(fake.calls).some((c) => textOf(c) === 'msg 7'), 'the message after the reconnect', 15_000)
    assert.deepEqual(toGroup(fake.calls).map(textOf), ['msg 0', 'msg 1', 'msg 2', 'msg 3', 'msg 4', 'msg 5', 'msg 6', 'msg 7'])
  } finally {
    await t.close()
    await fake.stop()
  }
})

test('forward WebSocket with a wrong token: NapCat upgrades, answers retcode 1403 and closes; hookcat says so and backs off', async () => {
  const fake = new FakeNapCatServer({ token: TOKEN, selfId: SELF })
  await fake.start()
  const t = await createTestHost({ builtins: true, config: hostConfig({ transport: 'ws', url: fake.url, accessToken: 'not-the-napcat-token' }) as never })
  try {
    await waitFor(() => fake.refused >= 2, 'two refused connections', 10_000)
    // The second close reaches hookcat a moment after the fake counts it: wait for hookcat to have scheduled both retries.
    await waitFor(() => t.logs.filter((l) => l.msg === 'OneBot WebSocket down; reconnecting').length >= 2, 'two reconnects scheduled', 10_000)
    const link = (await t.request('/readyz')).json().links.qq
    assert.notEqual(link.state, 'up')
    assert.match(link.detail, /access token refused \(retcode 1403\)/)
    const refusals = t.logs.filter((l) => /refused the access token/.test(String(l.msg)))
    assert.equal(refusals.length, 1, 'said once, not at every reconnect')
    const delays = t.logs.filter((l) => l.msg === 'OneBot WebSocket down; reconnecting').map((l) => Number(l.inMs))
    assert.ok(delays.length >= 2 && delays[1]! >= 1000, `the backoff grows across refusals: ${delays.join(', ')}`)
    assert.ok(!JSON.stringify(t.logs).includes('not-the-napcat-token'), 'the token is never logged')
  } finally {
    await t.close()
    await fake.stop()
  }
})

test('forward WebSocket: the NapCat fake sends no events on /api, as NapCat does', async () => {
  const fake = new FakeNapCatServer({ selfId: SELF })
  await fake.start()
  const { WebSocket } = await import('ws')
  const frames: string[] = []
  const api = new WebSocket(`${fake.url}/api`)
  const universal = new WebSocket(fake.url)
  try {
    universal.on('message', (d) => frames.push(`universal ${d}`))
    api.on('message', (d) => frames.push(`api ${d}`))
    await Promise.all([api, universal].map((ws) => new Promise((r) => ws.once('open', r))))
    await waitFor(() => frames.some((f) => f.startsWith('universal') && f.includes('"lifecycle"')), 'the lifecycle connect event')
    fake.push(messageEvent({ selfId: SELF, groupId: GROUP, userId: ADMIN, text: 'hi', messageId: 1 }))
    await waitFor(() => frames.some((f) => f.startsWith('universal') && f.includes('"hi"')), 'the event')
    assert.ok(!frames.some((f) => f.startsWith('api')), frames.join('\n'))
  } finally {
    api.close()
    universal.close()
    await fake.stop()
  }
})

test('reverse WebSocket: NapCat connects with its token and X-Self-ID; a wrong token is refused and logged; the subscription survives a restart and no command runs twice', async () => {
  const config = hostConfig({ transport: 'ws-reverse', accessToken: TOKEN, selfId: String(SELF) })
  const t = await createTestHost({ builtins: true, config: config as never })
  const wsUrl = `ws://127.0.0.1:${t.host.port}/onebot/v11/ws`
  const dir = t.dir
  let bot: Awaited<ReturnType<typeof reverseClient>> | undefined
  try {
    await assert.rejects(reverseClient(wsUrl, { selfId: SELF, token: 'wrong' }), (e: any) => e.status === 403)
    // A websocketClients entry with an empty token still sends `Authorization: Bearer `: that is no token, not a wrong one.
    await assert.rejects(reverseClient(wsUrl, { selfId: SELF }), (e: any) => e.status === 401)
    await assert.rejects(reverseClient(wsUrl, { selfId: 99999, token: TOKEN }), (e: any) => e.status === 403, 'a bot bound to no instance')
    assert.ok(t.logs.some((l) => l.msg === 'reverse WebSocket refused' && l.reason === 'wrong access token'))
    assert.ok(t.logs.some((l) => l.msg === 'reverse WebSocket refused' && l.reason === 'no access token'))
    bot = await reverseClient(wsUrl, { selfId: SELF, token: TOKEN })
    await waitFor(async () => (await t.request('/readyz')).json().links.qq.state === 'up', 'the bot is bound')
    const b = bot
    await subscribeScenario(t, () => b.calls, async (e) => b.send(e), { base: 300 })
    await bot.close()
  } finally {
    await t.host.stop()
  }
  // The same SQLite file: a new host keeps the subscription and answers a repeated command from storage.
  const t2 = await createTestHost({ builtins: true, dir, config: config as never })
  try {
    const bot2 = await reverseClient(`ws://127.0.0.1:${t2.host.port}/onebot/v11/ws`, { selfId: SELF, token: TOKEN })
    bot2.send(messageEvent({ selfId: SELF, groupId: GROUP, userId: ADMIN, role: 'admin', text: '/hookcat subscribe github acme/api', messageId: 302 }))
    bot2.send(messageEvent({ selfId: SELF, groupId: GROUP, userId: ADMIN, role: 'admin', text: '/hookcat list', messageId: 310 }))
    const list = await waitFor(() => toGroup(bot2.calls).find((c) => /github acme\/api/.test(textOf(c))), 'the list after the restart')
    assert.ok(list)
    const r = await t2.send.github('github', '/github', 'push', push, { secret: GH })
    assert.equal(r.status, 202)
    await waitFor(() => toGroup(bot2.calls).find((c) => /acme\/api/.test(textOf(c)) && !/subscribed here|群内订阅/.test(textOf(c))), 'the push after the restart')
    assert.equal(toGroup(bot2.calls).filter((c) => /Subscribed to|已订阅|already/.test(textOf(c))).length, 0, 'the repeated subscribe did not run again')
    const admin = (await t2.admin('/api/admin/subscriptions')).json()
    assert.deepEqual(admin.subscriptions.map((s: any) => [s.forge, s.target, s.chatKey]), [['github', 'acme/api', `qq-group_${GROUP}`]])
    assert.ok(admin.commands.some((c: any) => c.name === 'hookcat subscribe' && c.permission === 'admin'))
    assert.equal(admin.adapters.qq.bots[0].selfId, String(SELF))
    await bot2.close()
  } finally {
    await t2.close()
  }
})

test('HTTP event reporting: signed events run commands; a bad or missing X-Signature is refused and logged; malformed events run nothing', async () => {
  // Sends go over the HTTP API of the OneBot fake; events are POSTed to hookcat as NapCat's httpClients do.
  const http = fakeOneBot({ accessToken: TOKEN })
  const httpUrl = await http.start()
  const SECRET = 'napcat-http-secret'
  const t = await createTestHost({ builtins: true, config: hostConfig({ transport: 'http', url: httpUrl, accessToken: TOKEN, secret: SECRET }) as never })
  const events = `${t.url}/onebot/v11/http/qq`
  const calls = (): ApiCall[] => http.accepted.map((r) => ({ action: r.path.slice(1), params: r.json, echo: undefined }))
  try {
    const help = messageEvent({ selfId: SELF, groupId: GROUP, userId: ADMIN, role: 'admin', text: '/hookcat help', messageId: 1 })
    const bad = await postEvent(events, help, { selfId: SELF, signature: 'sha1=' + '0'.repeat(40) })
    assert.equal(bad.status, 401, bad.text)
    assert.equal((await postEvent(events, help, { selfId: SELF })).status, 401)
    assert.equal((await postEvent(events, help, { selfId: SELF, signature: 'sha256=abc' })).status, 400)
    assert.ok(t.logs.some((l) => l.msg === 'OneBot HTTP event refused' && l.reason === 'SIGNATURE_INVALID'))
    for (const body of ['nope', '{"self_id":1,"post_type":"message"}', '[1,2]']) assert.equal((await postEvent(events, body, { selfId: SELF, secret: SECRET })).status, 400, body)
    assert.equal((await fetch(events, { method: 'GET' })).status, 405)
    assert.equal(calls().length, 0, 'nothing refused or malformed ran')
    await subscribeScenario(t, calls, async (e) => {
      const r = await postEvent(events, e, { selfId: SELF, secret: SECRET })
      assert.equal(r.status, 204, r.text)
    }, { base: 500 })
  } finally {
    await t.close()
    await http.close()
  }
})
