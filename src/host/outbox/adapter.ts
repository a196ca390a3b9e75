// The adapter contract: how a chat platform takes a message, and how it says a send failed.
import type { z } from 'zod'
import type { Logger } from '../../util/logger.js'
import type { Storage } from '../../storage/types.js'
import type { HostEvents } from '../events.js'
import type { Message } from '../messages.js'

export interface AdapterContext {
  /** The instance name from the config (the adapter part of chat_keys). */
  name: string
  logger: Logger
  storage: Storage
  events: HostEvents
  dataDir: string
}

export interface SendContext {
  messageId: string
  attempt: number
  signal: AbortSignal
}

export interface RateLimit {
  /** At most `count` messages every `intervalMs`. */
  count: number
  intervalMs: number
}

export interface AdapterInstance {
  readonly name: string
  readonly type: string
  /** Says what is wrong with a channel (the part of the chat_key after the first "-"), or undefined when it is fine. */
  checkChannel?(channel: string): string | undefined
  send(channel: string, message: Message, context: SendContext): Promise<void>
  /** Limits the dispatcher keeps, so that the platform never has to refuse. */
  rateLimits?: { perChat?: RateLimit; global?: RateLimit }
  close?(): Promise<void>
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
