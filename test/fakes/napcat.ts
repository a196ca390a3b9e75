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

/** Answers API calls on a socket the way NapCat does, and records them. */
function answerCalls(ws: WebSocket, calls: ApiCall[], selfId: number, onCall?: () => void): void {
  let nextId = 1000
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
    onCall?.()
    const echo = frame.echo ?? ''
    if (frame.action === 'send_group_msg' || frame.action === 'send_private_msg') ws.send(JSON.stringify(answer('ok', 0, { message_id: nextId++ }, '', echo)))
    else if (frame.action === 'get_login_info') ws.send(JSON.stringify(answer('ok', 0, { user_id: selfId, nickname: 'hookcat bot' }, '', echo)))
    else ws.send(JSON.stringify(answer('failed', 1404, null, `不支持的API ${frame.action}`, echo)))
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

  constructor(private readonly options: { token?: string; selfId: number; heartInterval?: number }) {}

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
        answerCalls(ws, this.calls, this.options.selfId)
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
export async function reverseClient(url: string, options: { selfId: number; token?: string; role?: string; heartInterval?: number }): Promise<{ ws: WebSocket; calls: ApiCall[]; send(frame: unknown): void; close(): Promise<void> }> {
  const calls: ApiCall[] = []
  const ws = new WebSocket(url, {
    headers: { 'X-Self-ID': String(options.selfId), Authorization: `Bearer ${options.token ?? ''}`, 'x-client-role': options.role ?? 'Universal', 'User-Agent': 'OneBot/11' },
  })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })))
    ws.once('error', reject)
  })
  answerCalls(ws, calls, options.selfId)
  ws.send(JSON.stringify(lifecycle(options.selfId)))
  beat(ws, options.selfId, options.heartInterval ?? 30_000)
  return {
    ws,
    calls,
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
