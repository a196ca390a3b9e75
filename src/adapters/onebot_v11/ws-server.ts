// Reverse WebSocket: the implementation connects to hookcat (main HTTP server, upgrade), proven by token, bound by X-Self-ID.
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer } from 'ws'
import { safeEqual } from '../../host/verify/secrets.js'
import { refuse } from '../../host/upgrades.js'
import type { Logger } from '../../util/logger.js'
import type { OneBotEvent } from './events.js'
import { WsLink } from './ws-link.js'

export interface WsServerOptions {
  accessToken?: string
  /** The bot this instance takes (X-Self-ID); without it, any bot that proves the token. */
  selfId?: string
  logger: Logger
  parse: (raw: string) => OneBotEvent
  onEvent: (event: OneBotEvent, link: WsLink) => void
}

function tokenOf(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization?.trim()
  // NapCat always sends `Authorization: Bearer <token>`, so an entry without a token arrives as a bare "Bearer".
  if (auth && !/^(?:Bearer|Token)$/i.test(auth)) {
    const m = /^(?:Bearer|Token)\s+(.+)$/i.exec(auth)
    return m ? m[1] : auth
  }
  return new URL(req.url ?? '/', 'http://x').searchParams.get('access_token') || undefined
}

export class WsServer {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 })
  /** Connected bots by self id; a bot that connects again replaces its old link. */
  readonly links = new Map<string, WsLink>()

  constructor(private readonly options: WsServerOptions) {}

  /** The upgrade handler: false for a bot that is another instance's. */
  upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): boolean => {
    const selfId = String(req.headers['x-self-id'] ?? '')
    if (this.options.selfId && selfId !== this.options.selfId) return false
    const log = { client: req.socket.remoteAddress, selfId: selfId.slice(0, 20) }
    if (!/^\d{1,20}$/.test(selfId)) {
      this.options.logger.warn(log, 'reverse WebSocket refused: no valid X-Self-ID header')
      refuse(socket, 400, 'Bad Request')
      return true
    }
    const expected = this.options.accessToken
    const given = tokenOf(req)
    if (expected && !(given !== undefined && safeEqual(given, expected))) {
      this.options.logger.warn({ ...log, reason: given === undefined ? 'no access token' : 'wrong access token' }, 'reverse WebSocket refused')
      refuse(socket, given === undefined ? 401 : 403, given === undefined ? 'Unauthorized' : 'Forbidden')
      return true
    }
    const role = String(req.headers['x-client-role'] ?? 'Universal')
    // OneBot v11 names three roles; anything else is not an implementation we know how to talk to.
    if (!/^(?:universal|api|event)$/i.test(role)) {
      this.options.logger.warn({ ...log, role: role.slice(0, 20) }, 'reverse WebSocket refused: unknown X-Client-Role')
      refuse(socket, 400, 'Bad Request')
      return true
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const link = new WsLink(ws, this.options.parse, this.options.onEvent, (closed) => {
        if (this.links.get(selfId) === closed) this.links.delete(selfId)
        this.options.logger.warn({ selfId }, 'reverse WebSocket closed')
      })
      link.selfId = selfId
      // An Event-only connection carries no API calls; the API or Universal one of the same bot does.
      if (role.toLowerCase() !== 'event') {
        this.links.get(selfId)?.close(4000)
        this.links.set(selfId, link)
      }
      this.options.logger.info({ selfId, role }, 'reverse WebSocket connected')
    })
    return true
  }

  /** The link API calls go over: the bound bot's, or the first connected one. */
  linkFor(selfId?: string): WsLink | undefined {
    if (selfId) return this.links.get(selfId)
    for (const link of this.links.values()) if (link.open) return link
    return undefined
  }

  close(): void {
    for (const link of this.links.values()) link.close()
    this.wss.close()
  }
}
