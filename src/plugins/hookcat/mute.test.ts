// /hookcat mute and unmute over a real reverse WebSocket: the answers come through the mute, the pushes wait and arrive as a digest.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { createTestHost } from '../../testing/index.js'
import { waitFor } from '../../testing/helpers.js'
import { messageEvent, reverseClient, type ApiCall } from '../../../test/fakes/napcat.js'
import { endsAt, spanWords } from './text.js'

const GH = 'gh-secret-mute'
const TOKEN = 'napcat-token-mute'
const SELF = 10001
const GROUP = 234567
const ADMIN = 20001
const MEMBER = 20002

const pushOf = (n: number) => {
  const p = JSON.parse(readFileSync(fileURLToPath(new URL('../../../test/fixtures/senders/github/push.json', import.meta.url)), 'utf8'))
  p.repository = { ...p.repository, full_name: 'acme/api', name: 'api', owner: { ...p.repository.owner, login: 'acme', name: 'acme' } }
  // The sample pushes a new tag: one tag per push, so that the digest can be seen to name each.
  p.ref = `refs/tags/v1.${n}`
  return p
}
const textOf = (call: ApiCall): string => (call.params?.message ?? []).filter((s: any) => s.type === 'text').map((s: any) => s.data.text).join('')

test('/hookcat mute 2h: a member is refused, the answer comes at once, pushes wait (status says so), /hookcat unmute sends them as one digest', async () => {
  const t = await createTestHost({
    builtins: true,
    config: {
      adapters: { qq: { type: 'onebot_v11', transport: 'ws-reverse', accessToken: TOKEN, selfId: String(SELF) } },
      outbox: { backoffBase: 100, backoffMax: 500 },
      plugins: { github: { config: { webhookSecret: GH, locale: 'zh-CN' } } },
    } as never,
  })
  const bot = await reverseClient(`ws://127.0.0.1:${t.host.port}/onebot/v11/ws`, { selfId: SELF, token: TOKEN })
  const group = () => bot.calls.filter((c) => c.action === 'send_group_msg' && c.params?.group_id === GROUP).map(textOf)
  let id = 1000
  const say = (text: string, userId = ADMIN, role: 'admin' | 'member' = 'admin') => bot.send(messageEvent({ selfId: SELF, groupId: GROUP, userId, role, text, messageId: ++id }))
  const answer = (n: number, what: string) => waitFor(() => group()[n], what)
  try {
    say('/hookcat subscribe github acme/api')
    assert.match(await answer(0, 'the subscribe answer'), /已订阅 github acme\/api/)

    say('/hookcat mute 2h', MEMBER, 'member')
    assert.match(await answer(1, 'the refusal'), /只有群主、管理员/)
    say('/hookcat mute soon')
    assert.match(await answer(2, 'the usage'), /用法：\/hookcat mute <duration>/)
    assert.equal((await t.host.outbox.mutes()).length, 0, 'neither muted the chat')

    say('/hookcat mute 2h')
    const muted = await answer(3, 'the mute answer')
    const [mute] = await t.host.outbox.mutes()
    assert.equal(mute.chatKey, `qq-group_${GROUP}`)
    assert.equal(muted, `本群已静音 2 小时，到 ${endsAt(mute.until, 'zh-CN')}结束。期间的通知会保留，不会丢失，结束后合并成摘要发出；命令的回复照常发送。提前结束：/hookcat unmute`)

    for (const n of [1, 2, 3]) assert.equal((await t.send.github('github', '/github', 'push', pushOf(n), { secret: GH })).status, 202)
    await waitFor(async () => (await t.host.outbox.heldCount(`qq-group_${GROUP}`)) === 3, 'the three pushes held')
    say('/hookcat status')
    const status = await answer(4, 'the status answer, through the mute')
    assert.match(status, /待发送：3 条/)
    assert.ok(status.includes(`本群静音中，到 ${endsAt(mute.until, 'zh-CN')}结束。`), status)
    assert.equal(group().length, 5, 'no push went out while muted')

    say('/hookcat unmute')
    await waitFor(() => group().length === 7, 'the digest and the unmute answer')
    const [digest, unmuted] = group().slice(5)
    assert.match(digest, /3 条消息合并/)
    for (const n of [1, 2, 3]) assert.ok(digest.includes(`v1.${n}`), `the digest carries push ${n}: ${digest}`)
    assert.equal(unmuted, '已解除静音，静音期间保留的 3 条消息马上合并发出。')
    // Another admin: the first has used the five commands a minute each person may.
    say('/hookcat unmute', ADMIN + 2)
    assert.equal(await answer(7, 'the second unmute answer'), '本群现在没有静音。')
    assert.ok(t.logs.some((l) => l.msg === 'chat muted' && l.by === String(ADMIN)))
    say('/hookcat help', MEMBER, 'member')
    const help = await answer(8, 'the help, in the chat language')
    assert.match(help, /^\/hookcat mute <duration> — 静音一段时间（如 2h、30m），期间的通知保留，结束后合并发出$/m)
    assert.ok(!/^\/hookcat —/m.test(help) && !/commands \//.test(help), help)
  } finally {
    await bot.close()
    await t.close()
  }
})

test('mute words: the span in whole units, the end in the chat time zone, in both languages', () => {
  assert.equal(spanWords(5_400_000, 'zh-CN'), '1 小时 30 分钟')
  assert.equal(spanWords(7_200_000, 'en'), '2 hours')
  assert.equal(spanWords(86_400_000 + 3_600_000 + 60_000, 'en'), '1 day 1 hour')
  const at = Date.UTC(2026, 11, 1, 6, 5)
  assert.equal(endsAt(at, 'zh-CN', 'Asia/Shanghai'), '12月1日 14:05（GMT+8）')
  assert.equal(endsAt(at, 'en', 'UTC'), 'Dec 1, 06:05 UTC')
})
