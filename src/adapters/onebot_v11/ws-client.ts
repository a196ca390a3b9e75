// Forward WebSocket: hookcat connects to the implementation's universal endpoint and keeps reconnecting (backoff + jitter).
import { WebSocket } from 'ws'
import type { Logger } from '../../util/logger.js'
import type { OneBotEvent } from './events.js'
import { WsLink } from './ws-link.js'

export interface WsClientOptions {
  url: string
  accessToken?: string
  logger: Logger
  parse: (raw: string) => OneBotEvent
  onEvent: (event: OneBotEvent, link: WsLink) => void
  minDelayMs?: number
  maxDelayMs?: number
}

export class WsClient {
  link?: WsLink
  private attempts = 0
  private timer?: NodeJS.Timeout
  private stopped = false
  state: 'up' | 'down' | 'connecting' = 'down'
  lastError?: string
  /** The last connection was refused for its token: the backoff keeps growing instead of starting over at each open. */
  private refused = false

  constructor(private readonly options: WsClientOptions) {}

  start(): void {
    this.connect()
  }

  private connect(): void {
    if (this.stopped) return
    this.state = 'connecting'
    const headers: Record<string, string> = this.options.accessToken ? { authorization: `Bearer ${this.options.accessToken}` } : {}
    const socket = new WebSocket(this.options.url, { headers, handshakeTimeout: 10_000, maxPayload: 16 * 1024 * 1024 })
    socket.once('open', () => {
      if (!this.refused) this.attempts = 0
      this.state = 'up'
      this.lastError = undefined
      this.options.logger.info('OneBot WebSocket connected')
      this.link = new WsLink(socket, this.options.parse, (event, link) => this.frame(event, link), () => this.lost())
    })
    socket.once('unexpected-response', (_req, res) => {
      this.lastError = `HTTP ${res.statusCode}`
      socket.terminate()
    })
    socket.on('error', (error: NodeJS.ErrnoException) => {
      this.lastError = error.code ?? 'error'
      if (!this.link || this.link.socket !== socket) this.lost()
    })
  }

  /** NapCat checks the token after the upgrade: a wrong one is a 1403 frame and a close, never an HTTP 401. */
  private frame(event: OneBotEvent, link: WsLink): void {
    if (event.kind !== 'refused') {
      this.refused = false
      this.options.onEvent(event, link)
      return
    }
    if (!this.refused) this.options.logger.error({ reason: event.why }, 'OneBot WebSocket refused the access token: set accessToken to the token of NapCat\'s websocketServers entry')
    this.refused = true
    this.state = 'down'
    this.lastError = 'access token refused (retcode 1403)'
  }

  private lost(): void {
    if (this.timer) return
    this.link = undefined
    if (this.stopped) return
    this.state = 'down'
    const min = this.options.minDelayMs ?? 1000
    const max = this.options.maxDelayMs ?? 30_000
    const ceiling = Math.min(max, min * 2 ** Math.min(this.attempts++, 16))
    const delay = Math.round(ceiling / 2 + Math.random() * (ceiling / 2))
    this.options.logger.warn({ inMs: delay, reason: this.lastError }, 'OneBot WebSocket down; reconnecting')
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.connect()
    }, delay)
    this.timer.unref()
  }

  close(): void {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.link?.close()
  }
}
