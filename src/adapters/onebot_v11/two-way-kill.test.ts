// Two-way OneBot across a SIGKILL of `hookcat serve`, over each transport: the subscription holds, a command NapCat sends again runs once.
import assert from 'node:assert/strict'
import { createHmac, randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { freePort, runCli, startServe, tempProject } from '../../cli/test-fixtures/cli-process.js'
import { openReader, waitFor } from '../../testing/helpers.js'
import { fakeOneBot } from '../../../test/fakes/onebot.js'
import { FakeNapCatServer, messageEvent, postEvent, reverseClient, type ApiCall } from '../../../test/fakes/napcat.js'

const GH = 'gh-secret-kill'
const SELF = 10001
const GROUP = 654321
const textOf = (call: ApiCall): string => (call.params?.message ?? []).filter((s: any) => s.type === 'text').map((s: any) => s.data.text).join('')
const toGroup = (calls: ApiCall[]) => calls.filter((c) => c.action === 'send_group_msg' && c.params?.group_id === GROUP)

const TOKEN = 'tok-kill'
const EVENT_SECRET = 'napcat-http-kill'

/** NapCat as each transport meets it: how hookcat is configured, how it gets a message to hookcat, what it was asked to send. */
interface Bot {
  adapter: string
  /** The banner's line for the adapter at the first start, before NapCat connects (reverse) or once hookcat has (forward, HTTP). */
  banner: RegExp
  /** After `hookcat serve` (re)started at url: the link is up. */
  connected(url: string): Promise<void>
  say(event: unknown): Promise<void>
  calls(): ApiCall[]
  /** After the SIGKILL: NapCat sees the link gone (or, over HTTP, nothing to see). */
  gone(): Promise<void>
  stop(): Promise<void>
}

async function forward(): Promise<Bot> {
  const fake = new FakeNapCatServer({ token: TOKEN, selfId: SELF })
  await fake.start()
  return {
    adapter: `{ type: onebot_v11, transport: ws, url: "${fake.url}", accessToken: ${TOKEN}, locale: en }`,
    banner: /qq \(onebot_v11\)\s+reachable — QQ 10001 \(hookcat bot\) · link up/,
    connected: () => waitFor(() => fake.clients.length === 1, 'hookcat connected', 30_000).then(() => undefined),
    say: async (e) => fake.push(e),
    calls: () => fake.calls,
    gone: () => waitFor(() => fake.clients.length === 0, 'the link is gone').then(() => undefined),
    stop: () => fake.stop(),
  }
}

async function reverse(): Promise<Bot> {
  const calls: ApiCall[] = []
  let bot: Awaited<ReturnType<typeof reverseClient>> | undefined
  return {
    adapter: `{ type: onebot_v11, transport: ws-reverse, accessToken: ${TOKEN}, selfId: "${SELF}", locale: en }`,
    banner: /qq \(onebot_v11\)\s+waiting — no bot has connected yet \(NapCat connects to \/onebot\/v11\/ws\)/,
    async connected(url) {
      bot = await reverseClient(`${url.replace(/^http/, 'ws')}/onebot/v11/ws`, { selfId: SELF, token: TOKEN })
      // One record of what was asked across both connections, as the group sees it.
      bot.ws.on('message', (data) => {
        const frame = JSON.parse(String(data))
        if (frame.action) calls.push(frame)
      })
    },
    say: async (e) => bot!.send(e),
    calls: () => calls,
    gone: () => waitFor(() => bot!.ws.readyState === bot!.ws.CLOSED, 'the link is gone').then(() => undefined),
    stop: async () => bot?.close(),
  }
}

async function http(): Promise<Bot> {
  const api = fakeOneBot({ accessToken: TOKEN })
  const apiUrl = await api.start()
  let events = ''
  return {
    adapter: `{ type: onebot_v11, transport: http, url: "${apiUrl}", accessToken: ${TOKEN}, secret: ${EVENT_SECRET}, locale: en }`,
    banner: /qq \(onebot_v11\)\s+reachable — QQ 10001 \(hookcat bot\) · link up/,
    connected: async (url) => void (events = `${url}/onebot/v11/http/qq`),
    async say(e) {
      const r = await postEvent(events, e, { selfId: SELF, secret: EVENT_SECRET })
      assert.equal(r.status, 204, r.text)
    },
    calls: () => api.accepted.map((r) => ({ action: r.path.slice(1), params: r.json, echo: undefined })),
    gone: async () => undefined,
    stop: () => api.close(),
  }
}

for (const [transport, make] of [['ws', forward], ['ws-reverse', reverse], ['http', http]] as const) {
  test(`${transport}: SIGKILL of hookcat serve: the subscription holds, the repeated command does not run again, the next push reaches the group`, async () => {
    const bot = await make()
    const port = await freePort()
    const project = tempProject(
      [
        `server: { host: 127.0.0.1, port: ${port} }`,
        'outbox: { backoffBase: 100, backoffMax: 500 }',
        'adapters:',
        `  qq: ${bot.adapter}`,
        'plugins:',
        `  github: { config: { webhookSecret: ${GH}, locale: en } }`,
        '',
      ].join('\n'),
    )
    const subscribe = messageEvent({ selfId: SELF, groupId: GROUP, userId: 30003, role: 'owner', text: '/hookcat subscribe github acme/api push', messageId: 7001 })
    const started: Array<Awaited<ReturnType<typeof startServe>>> = []
    try {
      const first = await startServe({ cwd: project.dir })
      started.push(first)
      assert.match(first.stdout(), bot.banner, 'the banner says how the adapter link stands')
      await bot.connected(first.url)
      await bot.say(subscribe)
      await waitFor(() => toGroup(bot.calls()).find((c) => /Subscribed to github acme\/api/.test(textOf(c))), 'the subscribe answer', 30_000)
      // Killed once the answer is marked delivered: a kill before that mark may resend it (the outbox's crash window), which is not the point here.
      await waitFor(() => {
        const db = openReader(`${project.dir}/data/hookcat.db`)
        try {
          const row = db.prepare("select count(*) n from outbox where state = 'delivered'").get() as { n: number }
          return row.n > 0 ? row : undefined
        } finally {
          db.close()
        }
      }, 'the answer marked delivered').then((row) => assert.equal(row.n, 1))
      first.child.kill('SIGKILL')
      await first.stop()
      await bot.gone()

      const second = await startServe({ cwd: project.dir })
      started.push(second)
      try {
        await bot.connected(second.url)
        // NapCat cannot know whether the first process took the command: it may send it again.
        await bot.say(subscribe)
        await bot.say(messageEvent({ selfId: SELF, groupId: GROUP, userId: 30003, role: 'owner', text: '/hookcat list', messageId: 7002 }))
        await waitFor(() => toGroup(bot.calls()).find((c) => /github acme\/api — push/.test(textOf(c))), 'the list after the restart', 30_000)
        const payload = JSON.parse(readFileSync(fileURLToPath(new URL('../../../test/fixtures/senders/github/push.json', import.meta.url)), 'utf8'))
        payload.repository = { ...payload.repository, full_name: 'acme/api', name: 'api', owner: { ...payload.repository.owner, login: 'acme' } }
        const body = JSON.stringify(payload)
        const r = await fetch(`${second.url}/api/plugin/github/webhook/github`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': `sha256=${createHmac('sha256', GH).update(body).digest('hex')}` },
          body,
        })
        assert.equal(r.status, 202)
        await waitFor(() => toGroup(bot.calls()).find((c) => /acme\/api/.test(textOf(c)) && !/Subscribed|receives/.test(textOf(c))), 'the push', 30_000)
        const db = openReader(`${project.dir}/data/hookcat.db`)
        const inbound = db.prepare("select dedup_key, status from deliveries where plugin = 'hookcat' order by seq").all()
        db.close()
        assert.deepEqual(inbound, [{ dedup_key: `qq:${SELF}:7001`, status: 'done' }, { dedup_key: `qq:${SELF}:7002`, status: 'done' }], 'each message stored and handled once')
        assert.equal(toGroup(bot.calls()).filter((c) => /Subscribed to|already subscribed/.test(textOf(c))).length, 1, 'the subscribe ran once')
      } finally {
        await second.stop()
      }
      const listed = await runCli(['plugins'], { cwd: project.dir })
      assert.equal(listed.code, 0, listed.stderr)
      assert.match(listed.stdout, /github\s+acme\/api → qq-group_654321\s+\(push\)/)
    } finally {
      for (const p of started) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL')
      await bot.stop()
      project.cleanup()
    }
  })
}
