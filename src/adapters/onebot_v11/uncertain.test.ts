// A send whose answer was lost across a reconnect, over real sockets against the fake NapCat: asked of the history, never blindly repeated.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createTestHost, type TestHost } from '../../testing/index.js'
import { waitFor } from '../../testing/helpers.js'
import { FakeNapCatServer, FakeQQ, reverseClient, type ApiCall } from '../../../test/fakes/napcat.js'
import type { MessageInput } from '../../host/messages.js'
import { fingerprint, parseCq, samePrint } from './uncertain.js'

const TOKEN = 'napcat-token-uncertain'
const SELF = 10001
const GROUP = 123456
const FRIEND = 20001
const CHAT = `group_${GROUP}`

const config = (adapter: Record<string, unknown>) => ({
  adapters: { qq: { type: 'onebot_v11', rateLimit: { perChat: { count: 100, interval: '1s' } }, ...adapter } },
  outbox: { backoffBase: 50, backoffMax: 300 },
})

async function forwardHost(qq?: FakeQQ, adapter: Record<string, unknown> = {}) {
  const fake = new FakeNapCatServer({ token: TOKEN, selfId: SELF, qq })
  await fake.start()
  const t = await createTestHost({ config: config({ transport: 'ws', url: fake.url, accessToken: TOKEN, ...adapter }) as never })
  await waitFor(() => fake.clients.length === 1, 'hookcat connected')
  return { fake, t }
}

/** Stores messages in the outbox in this order; their ids. */
async function queue(t: TestHost, chatKey: string, inputs: Array<string | MessageInput>): Promise<string[]> {
  const rows = inputs.map((input) => t.host.outbox.prepare(chatKey, input))
  await t.host.outbox.store(rows)
  return rows.map((r) => r.id)
}

const delivered = (t: TestHost, ids: string[]) =>
  waitFor(async () => (await Promise.all(ids.map((id) => t.host.storage.getMessage(id)))).every((m) => m?.state === 'delivered'), 'the messages delivered', 20_000)
const sendsOf = (calls: ApiCall[], text: string) => calls.filter((c) => /^send_/.test(c.action) && JSON.stringify(c.params.message).includes(text)).length
const warnings = (t: TestHost) => t.logs.filter((l) => l.level === 40 && String(l.msg).startsWith('OneBot history cannot confirm'))

test('fingerprints: segments and CQ strings compare alike; whitespace, id types and a quote the history lacks do not matter', () => {
  const sent = fingerprint([
    { type: 'reply', data: { id: '77' } },
    { type: 'at', data: { qq: '20002' } },
    { type: 'text', data: { text: ' ' } },
    { type: 'text', data: { text: 'build [ok], a & b\r\nnext' } },
    { type: 'image', data: { file: 'https://example.com/a.png' } },
  ])
  const cq = fingerprint(parseCq('[CQ:reply,id=77][CQ:at,qq=20002] build &#91;ok&#93;, a &amp; b\nnext[CQ:image,file=A1.jpg,url=https://x/y?a=1&#44;2]'))
  assert.deepEqual(cq, sent)
  assert.ok(samePrint(sent, fingerprint([{ type: 'at', data: { qq: 20002 } }, { type: 'text', data: { text: 'build [ok], a & b next' } }, { type: 'image', data: {} }])))
  assert.ok(!samePrint(sent, { ...sent, reply: '78' }), 'a quote of another message')
  assert.ok(!samePrint(sent, { ...sent, text: 'build [ok], a & b' }))
  assert.ok(!samePrint(sent, { ...sent, images: 0 }))
  assert.ok(!samePrint(sent, { ...sent, ats: [] }))
})

test('(1) forward WebSocket: NapCat acts on a send and drops the link before answering: after the reconnect the group has it once and the row is delivered', async () => {
  const { fake, t } = await forwardHost()
  try {
    await delivered(t, await queue(t, `qq-${CHAT}`, ['before']))
    fake.qq.plan('drop-after')
    const message: MessageInput = { text: 'deploy [ok], a & b', replyTo: '777', mentions: ['20002'], images: [{ url: 'https://example.com/a.png' }] }
    const ids = await queue(t, `qq-${CHAT}`, [message])
    await delivered(t, ids)
    assert.deepEqual(fake.qq.texts(CHAT), ['before', ' deploy [ok], a & b'])
    assert.equal(sendsOf(fake.calls, 'deploy'), 1, 'not sent again')
    assert.ok(fake.calls.some((c) => c.action === 'get_group_msg_history' && c.params.group_id === GROUP))
    const confirmed = t.logs.find((l) => /confirmed from the chat history/.test(String(l.msg)))
    assert.equal(confirmed?.platformId, String(fake.qq.chats.get(CHAT)![1].message_id), 'the platform id of the message that landed')
    assert.equal(warnings(t).length, 0)
  } finally {
    await t.close()
    await fake.stop()
  }
})

test('(2) reverse WebSocket, private chat, CQ-string history: the message that landed before the drop is not sent again', async () => {
  const t = await createTestHost({ config: config({ transport: 'ws-reverse', accessToken: TOKEN, selfId: String(SELF) }) as never })
  const url = `ws://127.0.0.1:${t.host.port}/onebot/v11/ws`
  const qq = new FakeQQ(SELF)
  qq.format = 'string'
  const bots: Array<Awaited<ReturnType<typeof reverseClient>>> = []
  try {
    bots.push(await reverseClient(url, { selfId: SELF, token: TOKEN, qq }))
    await waitFor(async () => (await t.request('/readyz')).json().links.qq.state === 'up', 'the bot is bound')
    qq.plan('drop-after')
    const ids = await queue(t, `qq-private_${FRIEND}`, ['alert [firing], cpu & memory'])
    await waitFor(() => bots[0].ws.readyState === bots[0].ws.CLOSED, 'the fake dropped the link')
    assert.equal((await t.host.storage.getMessage(ids[0]))?.state, 'pending', 'not delivered while the answer is unknown')
    bots.push(await reverseClient(url, { selfId: SELF, token: TOKEN, qq }))
    await delivered(t, ids)
    assert.deepEqual(qq.texts(`private_${FRIEND}`), ['alert [firing], cpu & memory'])
    assert.ok(bots[1].calls.some((c) => c.action === 'get_friend_msg_history' && c.params.user_id === FRIEND))
    assert.equal(sendsOf([...bots[0].calls, ...bots[1].calls], 'alert'), 1)
  } finally {
    for (const bot of bots) await bot.close()
    await t.close()
  }
})

test('(3) the link drops BEFORE NapCat acts: the same text sent just before does not pass for it; it is sent again and arrives once', async () => {
  const { fake, t } = await forwardHost()
  try {
    // An identical message that landed a moment earlier, inside the clock-skew allowance: its id is known as another message's.
    await delivered(t, await queue(t, `qq-${CHAT}`, ['disk almost full']))
    fake.qq.plan('drop-before')
    await delivered(t, await queue(t, `qq-${CHAT}`, ['disk almost full']))
    assert.deepEqual(fake.qq.texts(CHAT), ['disk almost full', 'disk almost full'])
    assert.equal(sendsOf(fake.calls, 'disk almost full'), 3, 'the first message, the unread frame, then the resend')
    assert.ok(fake.calls.some((c) => c.action === 'get_group_msg_history'))
    assert.equal(warnings(t).length, 0)
  } finally {
    await t.close()
    await fake.stop()
  }
})

test('(4) an implementation without the history API: the message is sent again (here it arrives twice, then thrice) and a warning is logged once', async () => {
  const qq = new FakeQQ(SELF)
  qq.history = false
  const { fake, t } = await forwardHost(qq)
  try {
    qq.plan('drop-after', 'drop-after')
    await delivered(t, await queue(t, `qq-${CHAT}`, ['no history here']))
    assert.deepEqual(qq.texts(CHAT), ['no history here', 'no history here', 'no history here'])
    const warned = warnings(t)
    assert.equal(warned.length, 1, 'once per instance')
    assert.equal(warned[0].reason, 'unsupported')
    assert.ok(t.logs.some((l) => l.level === 20 && l.reason === 'unsupported'), 'the second time at debug')
  } finally {
    await t.close()
    await fake.stop()
  }
})

test('(5) a run of queued messages with drops after and before acting in the middle arrives in order, each once', async () => {
  const { fake, t } = await forwardHost()
  try {
    await delivered(t, await queue(t, `qq-${CHAT}`, ['msg 0']))
    fake.qq.plan('answer', 'drop-after', 'answer', 'drop-before', 'drop-after', 'answer', 'drop-after')
    const texts = Array.from({ length: 8 }, (_, i) => `msg ${i + 1}`)
    await delivered(t, await queue(t, `qq-${CHAT}`, texts))
    assert.deepEqual(fake.qq.texts(CHAT), ['msg 0', ...texts])
    assert.equal(warnings(t).length, 0)
  } finally {
    await t.close()
    await fake.stop()
  }
})

test('(6) a message split into parts: the part whose answer was lost is checked alone, and every part lands once, in order', async () => {
  const { fake, t } = await forwardHost(undefined, { maxLength: 100 })
  try {
    await delivered(t, await queue(t, `qq-${CHAT}`, ['before']))
    fake.qq.plan('answer', 'drop-after')
    const long = Array.from({ length: 30 }, (_, i) => `line ${String(i).padStart(2, '0')}`).join('\n')
    await delivered(t, await queue(t, `qq-${CHAT}`, [long]))
    const parts = fake.qq.texts(CHAT).slice(1)
    assert.ok(parts.length >= 3, `split into ${parts.length} parts`)
    assert.equal(new Set(parts).size, parts.length, 'no part twice')
    assert.deepEqual(parts.join('\n').match(/line \d\d/g), long.match(/line \d\d/g), 'every line once, in order')
    assert.equal(fake.calls.filter((c) => c.action === 'get_group_msg_history').length, 1, 'only the uncertain part asked')
  } finally {
    await t.close()
    await fake.stop()
  }
})
