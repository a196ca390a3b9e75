// The plugin SDK's types: what a plugin definition holds and what setup() receives.
import type { z } from 'zod'
import type { Logger } from '../../util/logger.js'
import type { WebhookRequest } from '../ingress/request.js'
import type { WebhookReply } from '../ingress/reply.js'
import type { Verifier } from '../verify/types.js'
import type { RateLimitOptions } from '../ingress/limits.js'
import type { MessageInput } from '../messages.js'
import type { PluginEventData, PluginEventHandler } from './events.js'
import type { PluginTasks } from '../tasks/types.js'
import type { CommandHandler, CommandOptions, MessageFilter, MessageHandler } from '../chat/types.js'
import type { OrderingKeyOption } from '../inbox/ordering.js'

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS'

export type WebhookResult = unknown | WebhookReply | Response

export type WebhookHandler = (request: WebhookRequest) => WebhookResult | Promise<WebhookResult>

export interface DedupOptions {
  /** Header that carries the sender's delivery id. */
  header?: string
  /** Top-level JSON field of the body that carries it (the body is then parsed at ingress). */
  jsonField?: string
}

export interface WebhookOptions {
  /** Methods the webhook accepts; others get 405 with an Allow header. Default: POST. */
  methods?: HttpMethod[]
  /** sync (default): the handler's return value is the response. async: stored, answered 202, then handled with retries. */
  mode?: 'sync' | 'async'
  /** Checks that run on the raw bytes before anything else; all must pass. */
  verify?: Verifier | Verifier[]
  /** Says explicitly that the webhook takes unauthenticated requests. */
  public?: boolean
  /** Largest body in bytes; default server.bodyLimit (1 MiB). */
  bodyLimit?: number
  /** Content types accepted (e.g. ["application/json"]); others get 415. Default: any. */
  accepts?: string[]
  /** Reject bodies that are not valid JSON with 400 before the handler runs (and before an async ack). */
  requireJson?: boolean
  /** Where the sender's delivery id is; default: the well-known headers of GitHub, Gitea, GitLab and Standard Webhooks. false: none. */
  dedup?: DedupOptions | false
  /** Requests allowed per `per` ms (bursts up to `requests`); more get 429 with Retry-After. perClient: a budget per client address. */
  rateLimit?: RateLimitOptions
  /** Largest handler run time in ms (sync: answered 504; async: retried). Default server.handlerTimeout. */
  timeout?: number
  /** Async mode: attempts before the delivery is kept as failed. Default inbox.maxAttempts. */
  maxAttempts?: number
  /**
   * Async mode: deliveries with the same ordering key are handled one at a time, in the order they were acknowledged
   * (on one process and across a cluster), so that their messages reach each chat in that order. Default: the route.
   * `{ headers: [...] }` keys them by request headers (the forges use the sender's hook target), a function by the
   * request head; `false` handles them concurrently. A delivery whose handler failed goes on being retried without
   * holding back the later ones.
   */
  orderingKey?: OrderingKeyOption
  /** Human description shown in `hookcat plugins` and the UI. */
  description?: string
  /**
   * The delivery's event type, kept in the delivery log (filterable, shown by `hookcat deliveries` and the UI). Default:
   * the sender's event header (X-GitHub-Event, X-Gitea-Event, X-Forgejo-Event, X-Gitlab-Event). A string, or read from
   * the request (an alert's status, a relay's name); computed at ingress, before the handler runs.
   */
  event?: string | ((request: EventSource) => string | undefined)
}

/** What an `event` function may read of a request: its headers, its body as JSON, and the route's path parameters. */
export interface EventSource {
  header(name: string): string | undefined
  /** The body parsed as JSON (undefined when it is not JSON). */
  json(): unknown
  params: Record<string, string>
}

/** Persistent JSON key-value storage scoped to the plugin, and optionally to a chat and a user. */
export interface PluginStore {
  get<T = unknown>(key: string, scope?: StoreScope): Promise<T | undefined>
  set(key: string, value: unknown, scope?: StoreScope): Promise<void>
  delete(key: string, scope?: StoreScope): Promise<boolean>
  list<T = unknown>(prefix?: string, scope?: StoreScope): Promise<Array<{ key: string; value: T }>>
  /**
   * Sets `value` only if the key still holds `expected` (the value get() returned; undefined: only if absent). True when
   * written, false when another writer (maybe another process) changed it first: read again and decide again.
   */
  compareAndSet(key: string, expected: unknown, value: unknown, scope?: StoreScope): Promise<boolean>
}

export interface StoreScope {
  chatKey?: string
  userKey?: string
}

export interface SentMessage {
  /** The outbox id of the message (or of its first part). */
  id: string
  /** sendAll(): why this chat's message became a dead letter at once (its chat_key cannot be delivered to). */
  dead?: string
}

/** What a plugin may know of and ask of the host it runs in. */
export interface HostAccess {
  /** hookcat's version. */
  readonly version: string
  /** When the host process started (ms since the epoch). */
  readonly startedAt: number
  /** The host's clock (ms since the epoch): Date.now, or the test kit's injected clock. */
  now(): number
  /** The full public URL of one of this plugin's webhooks. */
  webhookUrl(path: string): string
  /** Maintenance mode: messages are kept in the outbox and not sent until it ends. */
  readonly maintenance: boolean
  setMaintenance(on: boolean): void
  /** What the outbox holds for one chat: dead letters (latest first, with their errors) and messages still waiting. */
  chatStatus(chatKey: string): Promise<ChatStatus>
  /**
   * Holds a chat's messages for `ms` (answers to chat commands still go out); what it held is sent as a digest when the
   * mute ends. `timeZone` is the chat's (its quiet hours'), when configured, for saying when it ends.
   */
  muteChat(chatKey: string, ms: number): Promise<{ until: number; held: number; timeZone?: string }>
  /** Ends a chat's mute now; `held` messages then go out as a digest. False when it was not muted. */
  unmuteChat(chatKey: string): Promise<{ unmuted: boolean; held: number }>
  /** Chat commands registered by all plugins (for help texts). */
  commands(): Array<{ plugin: string; name: string; description: string; usage: string; permission: string }>
}

export interface ChatStatus {
  waiting: number
  /** When the chat's mute ends (ms), when it is muted now. */
  mutedUntil?: number
  timeZone?: string
  dead: Array<{ id: string; plugin: string | null; error: string | null; at: number }>
}

export interface Plugin<Config = Record<string, unknown>> {
  readonly name: string
  readonly version: string
  readonly description: string
  /** The plugin's config, validated against its schema. */
  readonly config: Config
  readonly store: PluginStore
  /** A directory of the plugin's own under the data directory; created on first use. */
  readonly dataDir: string
  readonly logger: Logger
  readonly host: HostAccess
  /** Durable background jobs: define a kind, start one, read its status, progress and result. */
  readonly tasks: PluginTasks
  /** Mounts a webhook at /api/plugin/<name>/webhook/<path>; path segments may be :params. */
  mountWebhook(path: string, handler: WebhookHandler, options?: WebhookOptions): void
  /** Queues a message for a chat in the durable outbox; resolves once it is stored. */
  send(chatKey: string, message: MessageInput): Promise<SentMessage>
  /**
   * The same message to several chats, each on its own: a chat_key that cannot be delivered to (no such adapter, bad
   * channel) becomes a dead letter instead of throwing, so the other chats still get theirs. One result per chat_key.
   */
  sendAll(chatKeys: readonly string[], message: MessageInput): Promise<SentMessage[]>
  /**
   * A chat command, e.g. "deploy" for "/deploy <env>" (several words allowed: "hookcat subscribe"); args are parsed by
   * the zod object schema, keys in order. Removed when the plugin unloads. Returns an unregister.
   */
  command<S extends z.ZodObject>(name: string, options: CommandOptions<S>, handler: CommandHandler<z.output<S>>): () => void
  /** Runs for every inbound chat message the filter (substring, RegExp or predicate) matches. */
  onMessage(filter: MessageFilter, handler: MessageHandler): () => void
  /** Runs after every plugin's setup, once the host is ready. */
  onInit(hook: () => void | Promise<void>): void
  /** Runs when the plugin unloads (disable, reload, shutdown), in reverse order of registration. */
  onCleanup(hook: () => void | Promise<void>): void
  /** Timers owned by the plugin: cleared when it unloads. */
  setInterval(fn: () => void | Promise<void>, ms: number): () => void
  setTimeout(fn: () => void | Promise<void>, ms: number): () => void
  /** Any side effect with an undo, run when the plugin unloads. */
  effect(undo: () => void | Promise<void>): void
  /** Publishes an event to the plugins subscribed to it; resolves once their handlers settled (their errors are logged, never thrown). */
  emit<N extends string>(event: N, data: PluginEventData<N>): Promise<number>
  /** Subscribes to "event" from any plugin or "<plugin>:event" from one; removed when this plugin unloads. Returns an unsubscribe. */
  on<N extends string>(event: N, handler: PluginEventHandler<PluginEventData<N>>): () => void
}

export interface PluginDefinition<Schema extends z.ZodType = z.ZodType> {
  name: string
  version: string
  description?: string
  /** zod schema of the plugin's config; mark secret fields with secret(). */
  config?: Schema
  setup(plugin: Plugin<z.output<Schema>>): void | Promise<void>
}

export const PLUGIN_BRAND = Symbol.for('hookcat.plugin')

export type DefinedPlugin<Schema extends z.ZodType = z.ZodType> = PluginDefinition<Schema> & { readonly [PLUGIN_BRAND]: true }
