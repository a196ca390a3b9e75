// Fake NapCat (OneBot v11 over WebSocket and HTTP event reporting), as NapCatQQ's packages/napcat-onebot/network/*.ts behave.
import { createHmac } from 'node:crypto'
import { createServer, type IncomingMessage, type Server } from 'node:http'
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

/** An answer as NapCat's OB11Response builds it (packages/napcat-onebot/action/OneBotAction.ts). */
const answer = (status: 'ok' | 'failed', retcode: number, data: unknown, message: string, echo: unknown) => ({ status, retcode, data, message, wording: message, echo, stream: 'normal-action' })

/** What NapCat sends to a WebSocket whose token is wrong or missing, right before it closes it (no HTTP 401). */
export const tokenRefusal = () => answer('failed', 1403, null, 'token验证失败', null)

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
      ws.send(JSON.stringify(answer('failed', 1400, null, 'json解析失败,请检查数据格式', undefined)))
      return
    }
    if (typeof frame?.action !== 'string') return
    calls.push({ action: frame.action, params: frame.params, echo: frame.echo })
    const echo = frame.echo ?? ''
    const reply = (r: { retcode: number; data: unknown; message: string }) => ws.send(JSON.stringify(answer(r.retcode === 0 ? 'ok' : 'failed', r.retcode, r.data, r.message, echo)))
    if (frame.action === 'send_group_msg' || frame.action === 'send_private_msg') {
      const { fate, id } = qq.take(frame.action, frame.params)
      if (fate !== 'answer') return ws.terminate()
      return reply({ retcode: 0, data: { message_id: id }, message: '' })
    }
    if (frame.action === 'get_group_msg_history' || frame.action === 'get_friend_msg_history') return reply(qq.historyOf(frame.action, frame.params))
    if (frame.action === 'get_login_info') return reply({ retcode: 0, data: { user_id: qq.selfId, nickname: 'hookcat bot' }, message: '' })
    reply({ retcode: 1404, data: null, message: `不支持的API ${frame.action}` })
  })
}

/** NapCat's token check (websocket-server.ts authorize): a non-empty ?access_token= first, else the Bearer header. */
function tokenGiven(req: IncomingMessage): string {
  const query = new URL(req.url ?? '/', 'http://x').searchParams.get('access_token')
  return query ? query : req.headers.authorization?.split('Bearer ').pop() || ''
}

/** Heartbeats every heartInterval ms while the socket is open, as NapCat's adapters send them (0: none). */
function beat(ws: WebSocket, selfId: number, heartInterval: number): void {
  if (heartInterval <= 0) return
  const timer = setInterval(() => ws.readyState === ws.OPEN && ws.send(JSON.stringify({ ...heartbeat(selfId), interval: heartInterval })), heartInterval)
  timer.unref()
  ws.once('close', () => clearInterval(timer))
}

/** NapCat's websocketServers entry: hookcat connects here (forward WebSocket). */
export class FakeNapCatServer {
  readonly calls: ApiCall[] = []
  /** Connections refused for a missing or wrong token (upgraded, sent the 1403 answer, closed). */
  refused = 0
  private http?: Server
  private wss?: WebSocketServer
  /** Connections that get events: every path but /api (NapCat's API-only endpoint). */
  private readonly eventClients = new Set<WebSocket>()
  port = 0
  readonly qq: FakeQQ

  constructor(private readonly options: { token?: string; selfId: number; heartInterval?: number; qq?: FakeQQ }) {
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
      wss.handleUpgrade(req, socket, head, (ws) => {
        // NapCat upgrades first and checks the token after: a refused client sees an open socket, one frame, a close.
        if (this.options.token && tokenGiven(req) !== this.options.token) {
          this.refused++
          ws.send(JSON.stringify(tokenRefusal()))
          ws.close()
          return
        }
        answerCalls(ws, this.calls, this.qq)
        const path = (req.url ?? '/').split('?')[0]
        if (path === '/api' || path === '/api/') return
        this.eventClients.add(ws)
        ws.once('close', () => this.eventClients.delete(ws))
        ws.send(JSON.stringify(lifecycle(this.options.selfId)))
        beat(ws, this.options.selfId, this.options.heartInterval ?? 30_000)
      })
    })
    await new Promise<void>((r) => http.listen(port, '127.0.0.1', () => r()))
    this.http = http
    this.wss = wss
    this.port = (http.address() as AddressInfo).port
    return this.url
  }

  /** Sends an event (or any frame) to every client that gets events. */
  push(frame: unknown): void {
    const text = typeof frame === 'string' ? frame : JSON.stringify(frame)
    for (const ws of this.eventClients) if (ws.readyState === ws.OPEN) ws.send(text)
  }

  /** Goes away: every connection dropped, the port closed. */
  async stop(): Promise<void> {
    for (const ws of this.clients) ws.terminate()
    this.eventClients.clear()
    this.wss?.close()
    await new Promise<void>((r) => (this.http ? this.http.close(() => r()) : r()))
    this.http?.closeAllConnections()
    this.http = undefined
  }
}

/**
 * NapCat's websocketClients entry: it connects to hookcat (reverse WebSocket) with the headers of websocket-client.ts,
 * `Authorization: Bearer <token>` even when its token is empty, then sends a lifecycle connect event and heartbeats.
 */
export async function reverseClient(
  url: string,
  options: { selfId: number; token?: string; role?: string; heartInterval?: number; qq?: FakeQQ },
): Promise<{ ws: WebSocket; calls: ApiCall[]; qq: FakeQQ; send(frame: unknown): void; close(): Promise<void> }> {
  const calls: ApiCall[] = []
  const ws = new WebSocket(url, {
    headers: { 'X-Self-ID': String(options.selfId), Authorization: `Bearer ${options.token ?? ''}`, 'x-client-role': options.role ?? 'Universal', 'User-Agent': 'OneBot/11' },
  })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })))
    ws.once('error', reject)
  })
  const qq = options.qq ?? new FakeQQ(options.selfId)
  answerCalls(ws, calls, qq)
  ws.send(JSON.stringify(lifecycle(options.selfId)))
  beat(ws, options.selfId, options.heartInterval ?? 30_000)
  return {
    ws,
    calls,
    qq,
    send: (frame) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    close: () => new Promise<void>((r) => (ws.readyState === ws.CLOSED ? r() : (ws.once('close', () => r()), ws.close()))),
  }
}

/**
 * NapCat's httpClients entry (http-client.ts): POSTs JSON.stringify(event) with Content-Type and x-self-id, and, when its
 * token is set, x-signature: sha1=<hex HMAC-SHA1 of those bytes keyed by the token>; no Authorization, no retry.
 */
export async function postEvent(url: string, event: unknown, options: { secret?: string; selfId: number; signature?: string }): Promise<{ status: number; text: string }> {
  const body = typeof event === 'string' ? event : JSON.stringify(event)
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'x-self-id': String(options.selfId) }
  if (options.signature !== undefined) headers['x-signature'] = options.signature
  else if (options.secret) headers['x-signature'] = `sha1=${createHmac('sha1', options.secret).update(body).digest('hex')}`
  const res = await fetch(url, { method: 'POST', headers, body })
  return { status: res.status, text: await res.text() }
}
