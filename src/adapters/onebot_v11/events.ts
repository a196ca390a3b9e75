// OneBot v11 events as the implementation posts them (WebSocket frames, HTTP reports): messages, heartbeats, lifecycle.
import type { InboundMessage, SenderRole } from '../../host/chat/types.js'

export type OneBotEvent =
  | { kind: 'message'; selfId: string; message: InboundMessage }
  | { kind: 'heartbeat'; selfId: string }
  | { kind: 'lifecycle'; selfId: string; subType: string }
  | { kind: 'response'; echo: string; body: OneBotAnswer }
  | { kind: 'other' }
  | { kind: 'malformed'; why: string }
  /** The implementation refused the connection's token: NapCat's WebSocket servers accept the upgrade, send this, and close. */
  | { kind: 'refused'; why: string }

export interface OneBotAnswer {
  status?: string
  retcode?: number
  data?: unknown
  message?: string
  wording?: string
  msg?: string
  echo?: unknown
}

type Json = Record<string, unknown>
const id = (v: unknown): string | undefined => (typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? String(v) : typeof v === 'string' && /^\d{1,20}$/.test(v) ? v : undefined)

/** CQ-code string messages: codes dropped (a mention of the bot itself too), the four escapes undone. */
function cqText(message: string, selfId: string): string {
  // A scan, not a regex: "[CQ:[^\]]*\]" backtracks quadratically over codes that never close, stalling the event loop.
  let text = ''
  let at = 0
  for (;;) {
    const start = message.indexOf('[CQ:', at)
    const end = start < 0 ? -1 : message.indexOf(']', start)
    if (end < 0) break
    const mention = /^at,qq=(\d+)/.exec(message.slice(start + 4, Math.min(end, start + 40)))
    text += message.slice(at, start) + (mention && mention[1] !== selfId ? `@${mention[1]}` : '')
    at = end + 1
  }
  return (text + message.slice(at)).replace(/&#91;/g, '[').replace(/&#93;/g, ']').replace(/&#44;/g, ',').replace(/&amp;/g, '&')
}

function segmentText(segments: unknown[], selfId: string): string {
  let text = ''
  for (const s of segments.slice(0, 200)) {
    if (!s || typeof s !== 'object') continue
    const { type, data } = s as { type?: unknown; data?: Json }
    if (type === 'text' && typeof data?.text === 'string') text += data.text
    else if (type === 'at' && data && (typeof data.qq === 'string' || typeof data.qq === 'number')) text += String(data.qq) === selfId ? '' : `@${data.qq}`
  }
  return text
}

/** Reads one frame or report; never throws (a malformed one says why). */
export function parseEvent(raw: string | Buffer, adapter: string, options: { operators: ReadonlySet<string>; locale: string }): OneBotEvent {
  let value: unknown
  try {
    value = JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'))
  } catch {
    return { kind: 'malformed', why: 'not JSON' }
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { kind: 'malformed', why: 'not a JSON object' }
  const e = value as Json
  if (e.echo !== undefined && e.post_type === undefined) {
    if (typeof e.echo === 'string') return { kind: 'response', echo: e.echo, body: e as OneBotAnswer }
    // NapCat's answer to a wrong token, to no call of ours: {"status":"failed","retcode":1403,"message":"token验证失败","echo":null}.
    if (e.retcode === 1403) return { kind: 'refused', why: typeof e.message === 'string' ? e.message.slice(0, 200) : 'retcode 1403' }
    return { kind: 'other' }
  }
  const selfId = id(e.self_id)
  if (!selfId) return { kind: 'malformed', why: 'no self_id' }
  if (e.post_type === 'meta_event') {
    if (e.meta_event_type === 'heartbeat') return { kind: 'heartbeat', selfId }
    if (e.meta_event_type === 'lifecycle') return { kind: 'lifecycle', selfId, subType: String(e.sub_type ?? '') }
    return { kind: 'other' }
  }
  if (e.post_type !== 'message') return { kind: 'other' }
  const messageId = id(e.message_id) ?? (typeof e.message_id === 'number' && Number.isSafeInteger(e.message_id) ? String(e.message_id) : undefined)
  const userId = id(e.user_id)
  if (!messageId || !userId) return { kind: 'malformed', why: 'a message needs message_id and user_id' }
  // The bot's own messages (reportSelfMessage) are never commands: answering them could loop.
  if (userId === selfId) return { kind: 'other' }
  let channel: string
  if (e.message_type === 'group') {
    const group = id(e.group_id)
    if (!group) return { kind: 'malformed', why: 'a group message needs group_id' }
    channel = `group_${group}`
  } else if (e.message_type === 'private') channel = `private_${userId}`
  else return { kind: 'other' }
  const text = Array.isArray(e.message) ? segmentText(e.message, selfId) : typeof e.message === 'string' ? cqText(e.message, selfId) : typeof e.raw_message === 'string' ? cqText(e.raw_message, selfId) : undefined
  if (text === undefined) return { kind: 'malformed', why: 'a message needs message' }
  const sender = (e.sender && typeof e.sender === 'object' ? e.sender : {}) as Json
  const roleText = sender.role
  // In a private chat nobody is a group admin; the role comes only from the group's own record of the sender.
  const role: SenderRole = e.message_type === 'group' && (roleText === 'owner' || roleText === 'admin') ? roleText : 'member'
  const name = typeof sender.card === 'string' && sender.card ? sender.card : typeof sender.nickname === 'string' ? sender.nickname : undefined
  return {
    kind: 'message',
    selfId,
    message: {
      adapter,
      chatKey: `${adapter}-${channel}`,
      messageId,
      selfId,
      text: text.slice(0, 20_000),
      sender: { id: userId, name: name?.slice(0, 200), role, ...(options.operators.has(userId) ? { operator: true } : {}) } as InboundMessage['sender'],
      time: typeof e.time === 'number' ? e.time : undefined,
      locale: options.locale,
      canQuote: true,
    },
  }
}
