// The adapter contract: how a chat platform takes a message, and how it says a send failed.
import type { z } from 'zod'
import type { Logger } from '../../util/logger.js'
import type { Storage } from '../../storage/types.js'
import type { HostEvents } from '../events.js'
import type { Message } from '../messages.js'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import type { InboundMessage } from '../chat/types.js'

export interface AdapterContext {
  /** The instance name from the config (the adapter part of chat_keys). */
  name: string
  logger: Logger
  storage: Storage
  events: HostEvents
  dataDir: string
  /** Clock for timestamps that platforms sign (tests fix it); Date.now by default. */
  now?: () => number
}

export interface SendContext<Payload = unknown> {
  messageId: string
  attempt: number
  /** Aborted when the send timeout passes: pass it on to the HTTP call. */
  signal: AbortSignal
  /** The plugin that sent the message (its data directory holds attachments given by path). */
  plugin?: string | null
  /** For adapters with render(): which part this is (0-based), how many there are, and the part itself. */
  part?: number
  parts?: number
  payload?: Payload
}

export interface RateLimit {
  /** At most `count` messages every `intervalMs`. */
  count: number
  intervalMs: number
}

export interface AdapterInstance<Payload = unknown> {
  readonly name: string
  readonly type: string
  /** Says what is wrong with a channel (the part of the chat_key after the first "-"), or undefined when it is fine. */
  checkChannel?(channel: string): string | undefined
  /**
   * Turns a message into what the platform takes, one payload per part, each within the platform's size limit.
   * The outbox then sends the parts in order, one send() each, paced by the rate limits, and resumes after the
   * last part that went through. Without render() a message is one send().
   */
  render?(channel: string, message: Message): Payload[]
  send(channel: string, message: Message, context: SendContext<Payload>): Promise<void>
  /** Limits the dispatcher keeps, so that the platform never has to refuse. */
  rateLimits?: { perChat?: RateLimit; global?: RateLimit }
  /**
   * Checks at start-up that the platform answers with these credentials (OneBot get_login_info, Telegram getMe, SMTP
   * verify): resolves with who the bot is there, throws saying what is wrong. Run in the background, never blocking.
   */
  probe?(signal: AbortSignal): Promise<string>
  close?(): Promise<void>
  /** Adapters that receive messages connect here once the host listens (WebSocket links, event endpoints). */
  attach?(link: AdapterLink): void | Promise<void>
  /** Connection state for the banner, /readyz and /metrics (adapters with a live link). */
  /** The live link's state; undefined when this instance keeps no link (e.g. OneBot over HTTP, send only). */
  status?(): AdapterStatus | undefined
}

export interface AdapterStatus {
  /** up: connected (or no connection needed); down: the platform is unreachable now; sends wait in the outbox. */
  state: 'up' | 'down' | 'connecting'
  detail?: string
  /** Bots connected (several reverse-WebSocket bots may share an instance), with their last heartbeat. */
  bots?: Array<{ selfId: string; connectedAt: number; lastHeartbeatAt?: number }>
}

export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => boolean
export type HttpHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>

/** What the host gives an adapter that receives: the inbox, the HTTP server's upgrades and paths. */
export interface AdapterLink {
  /** Stores an inbound chat message durably (deduplicated by `dedupKey`) for the plugins' commands and handlers. */
  receive(message: InboundMessage, dedupKey: string): Promise<{ id: string; duplicate: boolean }>
  /** Handles WebSocket upgrades on a path; the handler returns false for a request that is not its own. */
  onUpgrade(path: string, handler: UpgradeHandler): void
  /** Serves plain HTTP under a path prefix of the main server (e.g. /onebot/v11/http/<adapter>). */
  mount(prefix: string, handler: HttpHandler): void
  publicUrl(): string
}

export interface AdapterFactory<Schema extends z.ZodType = z.ZodType> {
  type: string
  description: string
  /** Schema of the instance's settings in `adapters:`; credentials marked secret(). */
  config: Schema
  create(settings: z.output<Schema>, context: AdapterContext): AdapterInstance
}

export function defineAdapter<Schema extends z.ZodType>(factory: AdapterFactory<Schema>): AdapterFactory<Schema> {
  if (!/^[a-z0-9][a-z0-9_]*$/.test(factory.type)) throw new TypeError(`adapter type "${factory.type}" must be lower-case letters, digits and _`)
  return factory
}

/** A failed send, as the platform answered it; retryable errors are tried again with backoff. */
export class SendError extends Error {
  readonly retryable: boolean
  readonly retryAfterMs?: number
  readonly httpStatus?: number

  constructor(message: string, options: { retryable: boolean; retryAfterMs?: number; httpStatus?: number; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'SendError'
    this.retryable = options.retryable
    this.retryAfterMs = options.retryAfterMs
    this.httpStatus = options.httpStatus
  }
}
