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

/** Answers API calls on a socket the way NapCat does: {status, retcode, data, echo}, and records them. */
function answerCalls(ws: WebSocket, calls: ApiCall[], onCall?: () => void): void {
  let nextId = 1000
  ws.on('message', (data) => {
    let frame: any
    try {
      frame = JSON.parse(String(data))
    } catch {
      return
    }
    if (typeof frame?.action !== 'string') return
    calls.push({ action: frame.action, params: frame.params, echo: frame.echo })
    onCall?.()
    const ok = frame.action === 'send_group_msg' || frame.action === 'send_private_msg'
    ws.send(JSON.stringify(ok ? { status: 'ok', retcode: 0, data: { message_id: nextId++ }, message: '', wording: '', echo: frame.echo } : { status: 'failed', retcode: 1404, data: null, message: 'API not found', echo: frame.echo }))
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

  constructor(private readonly options: { token?: string; selfId: number }) {}

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
        answerCalls(ws, this.calls)
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
export async function reverseClient(url: string, options: { selfId: number; token?: string; role?: string }): Promise<{ ws: WebSocket; calls: ApiCall[]; send(frame: unknown): void; close(): Promise<void> }> {
  const calls: ApiCall[] = []
  const ws = new WebSocket(url, {
    headers: { 'x-self-id': String(options.selfId), 'x-client-role': options.role ?? 'Universal', 'user-agent': 'NapCat', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
  })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })))
    ws.once('error', reject)
  })
  answerCalls(ws, calls)
  ws.send(JSON.stringify(lifecycle(options.selfId)))
  return {
    ws,
    calls,
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
