// Fake NapCat (OneBot v11 over WebSocket and HTTP event reporting): a forward WS server, a reverse WS client, a signed event poster.
import { createHmac } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocket, WebSocketServer } from 'ws'

export interface ApiCall {
  action: string
  params: any
  echo: unknown
}

export interface MessageEventInit {
  selfId: number
  groupId?: number
  userId: number
  role?: 'owner' | 'admin' | 'member'
  text: string
  messageId: number
  /** CQ-code string instead of a segment array (messagePostFormat: string). */
  format?: 'array' | 'string'
}

/** A message event as NapCat posts it (OneBot v11 message event, group or private). */
export function messageEvent(e: MessageEventInit): Record<string, unknown> {
  const group = e.groupId !== undefined
  return {
    time: Math.floor(Date.now() / 1000),
    self_id: e.selfId,
    post_type: 'message',
    message_type: group ? 'group' : 'private',
    sub_type: group ? 'normal' : 'friend',
    message_id: e.messageId,
    user_id: e.userId,
    ...(group ? { group_id: e.groupId } : {}),
    message: e.format === 'string' ? e.text : [{ type: 'text', data: { text: e.text } }],
    raw_message: e.text,
    font: 14,
    sender: { user_id: e.userId, nickname: `user${e.userId}`, card: '', role: e.role ?? 'member' },
  }
}

export const heartbeat = (selfId: number) => ({ time: Math.floor(Date.now() / 1000), self_id: selfId, post_type: 'meta_event', meta_event_type: 'heartbeat', status: { online: true, good: true }, interval: 30000 })
export const lifecycle = (selfId: number) => ({ time: Math.floor(Date.now() / 1000), self_id: selfId, post_type: 'meta_event', meta_event_type: 'lifecycle', sub_type: 'connect' })

/** What happens to a send: answered; acted on, then the connection dropped before the answer; dropped unread. */
export type SendFate = 'answer' | 'drop-after' | 'drop-before'

export interface StoredMessage {
  message_id: number
  time: number
  chat: string
  segments: Array<{ type: string; data: Record<string, unknown> }>
}

const cqEscape = (s: string, inValue = false) => {
  const out = s.replace(/&/g, '&amp;').replace(/\[/g, '&#91;').replace(/\]/g, '&#93;')
  return inValue ? out.replace(/,/g, '&#44;') : out
}
const cqString = (segments: StoredMessage['segments']) =>
  segments.map((s) => (s.type === 'text' ? cqEscape(String(s.data.text)) : `[CQ:${s.type}${Object.entries(s.data).map(([k, v]) => `,${k}=${cqEscape(String(v), true)}`).join('')}]`)).join('')

/**
 * The QQ side of a fake NapCat: what landed in each chat (group_<id>, private_<id>) and how the next sends fare.
 * Shared by the connections of one bot, so that it outlives a dropped one.
 */
export class FakeQQ {
  readonly chats = new Map<string, StoredMessage[]>()
  /** Answers get_group_msg_history / get_friend_msg_history (false: 1404, as go-cqhttp does for friends). */
  history = true
  /** messagePostFormat: string returns CQ-code strings in the history. */
  format: 'array' | 'string' = 'array'
  private readonly fates: SendFate[] = []
  private nextId = 1000

  constructor(readonly selfId: number) {}

  /** The fates of the next sends, in order; the sends after them are answered. */
  plan(...fates: SendFate[]): void {
    this.fates.push(...fates)
  }

  /** The texts that landed in a chat, in order. */
  texts(chat: string): string[] {
    return (this.chats.get(chat) ?? []).map((m) => m.segments.filter((s) => s.type === 'text').map((s) => s.data.text).join(''))
  }

  /** Stores a send as QQ keeps it (at/reply ids as strings; an image as a file name and a URL); its fate. */
  take(action: string, params: any): { fate: SendFate; id?: number } {
    const fate = this.fates.shift() ?? 'answer'
    if (fate === 'drop-before') return { fate }
    const chat = action === 'send_group_msg' ? `group_${params.group_id}` : `private_${params.user_id}`
    const segments = (Array.isArray(params.message) ? params.message : []).map((s: any) =>
      s.type === 'image' ? { type: 'image', data: { file: `${(this.nextId + 1).toString(16).toUpperCase()}.jpg`, url: 'https://multimedia.nt.qq.com.cn/download?appid=1407' } } : s.type === 'at' || s.type === 'reply' ? { type: s.type, data: Object.fromEntries(Object.entries(s.data).map(([k, v]) => [k, String(v)])) } : s,
    )
    const message = { message_id: this.nextId++, time: Math.floor(Date.now() / 1000), chat, segments }
    this.chats.set(chat, [...(this.chats.get(chat) ?? []), message])
    return { fate, id: message.message_id }
  }

  /** get_*_msg_history as NapCat answers it: the latest `count`, oldest first; an empty chat is an error (1200). */
  historyOf(action: string, params: any): { retcode: number; data: unknown; message: string } {
    if (!this.history) return { retcode: 1404, data: null, message: `不支持的API ${action}` }
    const chat = action === 'get_group_msg_history' ? `group_${params?.group_id}` : `private_${params?.user_id}`
    const all = this.chats.get(chat) ?? []
    if (all.length === 0) return { retcode: 1200, data: null, message: '消息undefined不存在' }
    const group = chat.startsWith('group_')
    const messages = all.slice(-Math.max(1, Number(params?.count ?? 20))).map((m) => {
      const raw = cqString(m.segments)
      return {
        self_id: this.selfId,
        user_id: this.selfId,
        time: m.time,
        message_id: m.message_id,
        message_seq: m.message_id,
        real_id: m.message_id,
        message_type: group ? 'group' : 'private',
        sender: { user_id: this.selfId, nickname: 'hookcat bot', card: '' },
        raw_message: raw,
        font: 14,
        sub_type: group ? 'normal' : 'friend',
        message: this.format === 'string' ? raw : m.segments,
        message_format: this.format,
        post_type: 'message_sent',
        ...(group ? { group_id: Number(chat.slice(6)) } : {}),
      }
    })
    return { retcode: 0, data: { messages }, message: '' }
  }
}

/** Answers API calls on a socket the way NapCat does: {status, retcode, data, echo}, and records them. */
function answerCalls(ws: WebSocket, calls: ApiCall[], qq: FakeQQ): void {
  ws.on('message', (data) => {
    let frame: any
    try {
      frame = JSON.parse(String(data))
    } catch {
      return
    }
    if (typeof frame?.action !== 'string') return
    calls.push({ action: frame.action, params: frame.params, echo: frame.echo })
    const reply = (r: { retcode: number; data: unknown; message: string }) =>
      ws.send(JSON.stringify({ status: r.retcode === 0 ? 'ok' : 'failed', ...r, wording: r.message, echo: frame.echo }))
    if (frame.action === 'send_group_msg' || frame.action === 'send_private_msg') {
      const { fate, id } = qq.take(frame.action, frame.params)
      if (fate !== 'answer') return ws.terminate()
      return reply({ retcode: 0, data: { message_id: id }, message: '' })
    }
    if (frame.action === 'get_group_msg_history' || frame.action === 'get_friend_msg_history') return reply(qq.historyOf(frame.action, frame.params))
    if (frame.action === 'get_login_info') return reply({ retcode: 0, data: { user_id: qq.selfId, nickname: 'hookcat bot' }, message: '' })
    reply({ retcode: 1404, data: null, message: 'API not found' })
  })
}

/** NapCat's websocketServers entry: hookcat connects here (forward WebSocket). */
export class FakeNapCatServer {
  readonly calls: ApiCall[] = []
  /** Handshakes refused for a missing or wrong token. */
  refused = 0
  private http?: Server
  private wss?: WebSocketServer
  port = 0
  readonly qq: FakeQQ

  constructor(private readonly options: { token?: string; selfId: number; qq?: FakeQQ }) {
    this.qq = options.qq ?? new FakeQQ(options.selfId)
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}`
  }

  get clients(): WebSocket[] {
    return [...(this.wss?.clients ?? [])]
  }

  async start(port = 0): Promise<string> {
    const http = createServer((_req, res) => res.writeHead(426).end())
    const wss = new WebSocketServer({ noServer: true })
    http.on('upgrade', (req, socket, head) => {
      const given = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '') || new URL(req.url ?? '/', 'http://x').searchParams.get('access_token') || ''
      if (this.options.token && given !== this.options.token) {
        this.refused++
        socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n')
        return
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        answerCalls(ws, this.calls, this.qq)
        ws.send(JSON.stringify(lifecycle(this.options.selfId)))
      })
    })
    await new Promise<void>((r) => http.listen(port, '127.0.0.1', () => r()))
    this.http = http
    this.wss = wss
    this.port = (http.address() as AddressInfo).port
    return this.url
  }

  /** Sends an event (or any frame) to every connected client. */
  push(frame: unknown): void {
    const text = typeof frame === 'string' ? frame : JSON.stringify(frame)
    for (const ws of this.clients) ws.send(text)
  }

  /** Goes away: every connection dropped, the port closed. */
  async stop(): Promise<void> {
    for (const ws of this.clients) ws.terminate()
    this.wss?.close()
    await new Promise<void>((r) => (this.http ? this.http.close(() => r()) : r()))
    this.http?.closeAllConnections()
    this.http = undefined
  }
}

/** NapCat's websocketClients entry: it connects to hookcat (reverse WebSocket) with X-Self-ID and X-Client-Role. */
export async function reverseClient(
  url: string,
  options: { selfId: number; token?: string; role?: string; qq?: FakeQQ },
): Promise<{ ws: WebSocket; calls: ApiCall[]; qq: FakeQQ; send(frame: unknown): void; close(): Promise<void> }> {
  const calls: ApiCall[] = []
  const ws = new WebSocket(url, {
    headers: { 'x-self-id': String(options.selfId), 'x-client-role': options.role ?? 'Universal', 'user-agent': 'NapCat', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
  })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })))
    ws.once('error', reject)
  })
  const qq = options.qq ?? new FakeQQ(options.selfId)
  answerCalls(ws, calls, qq)
  ws.send(JSON.stringify(lifecycle(options.selfId)))
  return {
    ws,
    calls,
    qq,
    send: (frame) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    close: () => new Promise<void>((r) => (ws.readyState === ws.CLOSED ? r() : (ws.once('close', () => r()), ws.close()))),
  }
}

/** NapCat's httpClients entry: POSTs each event, signed X-Signature: sha1=<HMAC-SHA1 of the body> with its token. */
export async function postEvent(url: string, event: unknown, options: { secret?: string; selfId: number; signature?: string }): Promise<{ status: number; text: string }> {
  const body = typeof event === 'string' ? event : JSON.stringify(event)
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-self-id': String(options.selfId) }
  if (options.signature !== undefined) headers['x-signature'] = options.signature
  else if (options.secret) headers['x-signature'] = `sha1=${createHmac('sha1', options.secret).update(body).digest('hex')}`
  const res = await fetch(url, { method: 'POST', headers, body })
  return { status: res.status, text: await res.text() }
}
