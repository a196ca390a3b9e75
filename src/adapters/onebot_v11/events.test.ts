// OneBot event parsing and chat command dispatch: a corpus of malformed frames and fuzzing never throw nor run a handler.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { z } from 'zod'
import { ChatRegistry } from '../../host/chat/registry.js'
import { inboundSchema } from '../../host/chat/route.js'
import { parseArgs, usageOf } from '../../host/chat/args.js'
import { createLogger } from '../../util/logger.js'
import { parseEvent } from './events.js'
import { onebotAdapter } from './index.js'

const options = { operators: new Set(['30003']), locale: 'en' }
const good = { time: 1, self_id: 10001, post_type: 'message', message_type: 'group', message_id: 7, user_id: 20002, group_id: 123456, message: [{ type: 'at', data: { qq: '10001' } }, { type: 'text', data: { text: ' /hookcat list' } }], sender: { role: 'admin', card: 'Ann' } }

test('a group message becomes an inbound message: chat_key, role, the mention of the bot removed; CQ strings read too', () => {
  const e = parseEvent(JSON.stringify(good), 'qq', options)
  assert.equal(e.kind, 'message')
  if (e.kind !== 'message') return
  assert.deepEqual(e.message, { adapter: 'qq', chatKey: 'qq-group_123456', messageId: '7', selfId: '10001', text: ' /hookcat list', sender: { id: '20002', name: 'Ann', role: 'admin' }, time: 1, locale: 'en', canQuote: true })
  const cq = parseEvent(JSON.stringify({ ...good, message: '[CQ:at,qq=10001] /hookcat help &#91;x&#93;', user_id: 30003, sender: { role: 'owner' } }), 'qq', options)
  assert.equal(cq.kind === 'message' && cq.message.text, ' /hookcat help [x]')
  assert.equal(cq.kind === 'message' && (cq.message.sender as { operator?: boolean }).operator, true)
  // A private chat has no group role, whatever the sender object claims.
  const direct = parseEvent(JSON.stringify({ ...good, message_type: 'private', group_id: undefined }), 'qq', options)
  assert.equal(direct.kind === 'message' && direct.message.sender.role, 'member')
  assert.equal(direct.kind === 'message' && direct.message.chatKey, 'qq-private_20002')
})

test('config: ws needs a ws:// url, http an http(s) url, ws-reverse an access token', () => {
  const parse = (c: Record<string, unknown>) => onebotAdapter.config.safeParse({ type: 'onebot_v11', ...c }).success
  assert.equal(parse({ url: 'http://127.0.0.1:3000' }), true)
  assert.equal(parse({ transport: 'ws', url: 'http://127.0.0.1:3000' }), false)
  assert.equal(parse({ transport: 'ws', url: 'ws://127.0.0.1:3001' }), true)
  assert.equal(parse({ transport: 'ws-reverse' }), false)
  assert.equal(parse({ transport: 'ws-reverse', accessToken: 't' }), true)
  assert.equal(parse({ transport: 'websocket', url: 'ws://x' }), false)
})

test('malformed frames are named, never thrown', () => {
  const corpus = ['', 'null', '[]', '"x"', '{', '{"post_type":"message"}', JSON.stringify({ ...good, message_id: 'x' }), JSON.stringify({ ...good, group_id: -1 }), JSON.stringify({ ...good, message: 5, raw_message: undefined }), JSON.stringify({ ...good, self_id: 1.5 }), JSON.stringify({ ...good, user_id: '12a' })]
  for (const frame of corpus) assert.equal(parseEvent(frame, 'qq', options).kind, 'malformed', frame)
  assert.equal(parseEvent(JSON.stringify({ self_id: 1, post_type: 'notice' }), 'qq', options).kind, 'other')
  assert.equal(parseEvent(JSON.stringify({ ...good, user_id: 10001 }), 'qq', options).kind, 'other', "the bot's own message")
  assert.equal(parseEvent(JSON.stringify({ status: 'ok', retcode: 0, echo: 'e1' }), 'qq', options).kind, 'response')
})

test('CQ strings are read in linear time: a report full of unterminated codes does not stall the event loop', () => {
  // A regex over "[CQ:" … "]" backtracks quadratically on codes that never close (100 KB took seconds, a 1 MB report minutes).
  for (const unit of ['[CQ:', '[CQ:at,qq=1']) {
    const started = performance.now()
    const e = parseEvent(JSON.stringify({ ...good, message: unit.repeat(Math.ceil(1_000_000 / unit.length)) }), 'qq', options)
    assert.ok(performance.now() - started < 1000, `${unit}: ${Math.round(performance.now() - started)} ms`)
    assert.equal(e.kind === 'message' && e.message.text.startsWith(unit), true, 'an unterminated code stays text')
  }
  const mixed = parseEvent(JSON.stringify({ ...good, message: 'a[CQ:face,id=1]b[CQ:at,qq=10001]c[CQ:at,qq=42,name=x]d[CQ:image,file=x' }), 'qq', options)
  assert.equal(mixed.kind === 'message' && mixed.message.text, 'abc@42d[CQ:image,file=x')
})

test('fuzzing: any frame parses without throwing, and whatever becomes a message is a valid inbound message', () => {
  const field = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.boolean(), fc.array(fc.anything(), { maxLength: 3 }))
  const frame = fc.oneof(
    fc.string(),
    fc.json(),
    fc.record({ self_id: field, post_type: fc.constantFrom('message', 'meta_event', 'notice', 5), message_type: fc.constantFrom('group', 'private', 'x'), message_id: field, user_id: field, group_id: field, message: fc.oneof(field, fc.array(fc.record({ type: fc.string(), data: fc.anything() }))), sender: fc.anything() }, { requiredKeys: [] }).map((o) => JSON.stringify(o)),
  )
  fc.assert(
    fc.property(frame, (raw) => {
      const e = parseEvent(raw, 'qq', options)
      if (e.kind === 'message') assert.ok(inboundSchema.safeParse(e.message).success, raw)
    }),
    { numRuns: 2000 },
  )
})

test('commands: usage from the schema, arguments checked, roles enforced, nothing runs for a refused or malformed command', async () => {
  const chat = new ChatRegistry(createLogger({ level: 'silent' }))
  const ran: unknown[] = []
  const replies: string[] = []
  const send = async (_chat: string, m: unknown) => {
    replies.push(typeof m === 'string' ? m : (m as { text: string }).text)
    return { id: 'x' }
  }
  const args = z.object({ env: z.enum(['staging', 'prod']), ref: z.string().optional(), rest: z.array(z.string()).max(3) })
  chat.command('p', 'deploy now', { args, permission: 'admin' }, (ctx) => void ran.push(ctx.args), send)
  assert.equal(usageOf('deploy now', args), '/deploy now <staging|prod> [ref] [rest…]')
  assert.throws(() => chat.command('q', 'deploy now', {}, () => undefined, send), /already registered/)
  const msg = (text: string, role: 'owner' | 'admin' | 'member' = 'admin') => ({ adapter: 'qq', chatKey: 'qq-group_1', messageId: String(Math.random()), text, sender: { id: `u${role}`, role }, locale: 'en' })
  assert.equal((await chat.dispatch(msg('/deploy now prod v1 a b'))).outcome, 'ran')
  assert.deepEqual(ran, [{ env: 'prod', ref: 'v1', rest: ['a', 'b'] }])
  assert.equal((await chat.dispatch(msg('/deploy now dev'))).outcome, 'usage')
  assert.match(replies.at(-1)!, /Usage: \/deploy now <staging\|prod>/)
  assert.equal((await chat.dispatch(msg('/deploy now prod', 'member'))).outcome, 'refused')
  assert.equal((await chat.dispatch(msg('hello /deploy now prod'))).outcome, 'no-command')
  assert.equal(ran.length, 1)
  assert.deepEqual(parseArgs(undefined, ['x']), { ok: false, problem: 'this command takes no arguments' })
})
