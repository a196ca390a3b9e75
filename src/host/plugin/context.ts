// The object a plugin's setup() receives; every side effect it registers is undone when the plugin unloads.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Logger } from '../../util/logger.js'
import type { Storage } from '../../storage/types.js'
import { deliveryScope } from '../ingress/delivery-scope.js'
import { RateLimiter } from '../ingress/limits.js'
import { normalizeMethods, normalizeMountPath, type RouteTable, type WebhookRoute } from '../ingress/routes.js'
import type { MessageInput } from '../messages.js'
import type { Outbox } from '../outbox/outbox.js'
import { createPluginStore } from './store.js'
import type { PluginBus, PluginEventData, PluginEventHandler } from './events.js'
import type { TaskRunner } from '../tasks/runner.js'
import type { ChatRegistry } from '../chat/registry.js'
import type { CommandHandler, CommandOptions, MessageFilter, MessageHandler } from '../chat/types.js'
import type { z } from 'zod'
import type { PluginTasks } from '../tasks/types.js'
import type { DefinedPlugin, HostAccess, Plugin, PluginStore, SentMessage, WebhookHandler, WebhookOptions } from './types.js'

export interface HostServices {
  version: string
  startedAt: number
  /** The host's clock; Date.now when absent. */
  now?: () => number
  publicUrl(): string
  maintenance(): boolean
  setMaintenance(on: boolean): void
  /** The host's durable task runner (absent in hosts that run no tasks). */
  tasks?: TaskRunner
  /** Chat commands and message handlers (absent in hosts that receive no chat messages). */
  chat?: ChatRegistry
}

export interface PluginServices {
  host: HostServices
  storage: Storage
  outbox: Outbox
  routes: RouteTable
  logger: Logger
  dataRoot: string
  /** Plugin-to-plugin events. */
  bus: PluginBus
}

type Hook = () => void | Promise<void>

export class PluginContext<Config = Record<string, unknown>> implements Plugin<Config> {
  readonly name: string
  readonly version: string
  readonly description: string
  readonly store: PluginStore
  readonly logger: Logger
  readonly host: HostAccess
  readonly tasks: PluginTasks
  private readonly initHooks: Hook[] = []
  private readonly cleanupHooks: Hook[] = []
  private readonly undo: Hook[] = []
  private disposed = false

  constructor(
    definition: DefinedPlugin,
    readonly config: Config,
    private readonly services: PluginServices,
  ) {
    this.name = definition.name
    this.version = definition.version
    this.description = definition.description ?? ''
    this.logger = services.logger.child({ plugin: definition.name })
    this.store = createPluginStore(services.storage, definition.name)
    const name = definition.name
    const host = services.host
    this.host = {
      version: host.version,
      startedAt: host.startedAt,
      now: host.now ?? Date.now,
      webhookUrl: (path: string) => `${host.publicUrl()}/api/plugin/${name}/webhook${normalizeMountPath(path) === '/' ? '' : normalizeMountPath(path)}`,
      get maintenance() {
        return host.maintenance()
      },
      setMaintenance: (on: boolean) => host.setMaintenance(on),
      chatStatus: async (chatKey: string) => {
        const [dead, pending] = await Promise.all([
          services.storage.listMessages({ chatKey, state: 'dead', limit: 5 }),
          services.storage.listMessages({ chatKey, state: 'pending', limit: 1000 }),
        ])
        const mutedUntil = services.outbox.mutedUntil(chatKey)
        return {
          waiting: pending.length,
          dead: dead.map((m) => ({ id: m.id, plugin: m.plugin, error: m.lastError, at: m.updatedAt })),
          ...(mutedUntil ? { mutedUntil, timeZone: services.outbox.timeZoneOf(chatKey) } : {}),
        }
      },
      muteChat: async (chatKey: string, ms: number) => {
        const { until, held } = await services.outbox.muteFor(chatKey, ms)
        return { until, held, timeZone: services.outbox.timeZoneOf(chatKey) }
      },
      unmuteChat: async (chatKey: string) => {
        const held = await services.outbox.heldCount(chatKey)
        return { unmuted: await services.outbox.unmute(chatKey), held }
      },
      commands: () => host.chat?.list() ?? [],
    }
    this.tasks = this.createTasks(host.tasks)
  }

  private createTasks(runner: TaskRunner | undefined): PluginTasks {
    const missing = () => new Error('this host runs no tasks')
    return {
      define: (kind, handler, options) => {
        this.assertLive()
        if (!runner) throw missing()
        this.undo.push(runner.define(this.name, kind, handler as never, options))
      },
      start: async (kind, params) => {
        if (!runner) throw missing()
        return runner.start(this.name, kind, params)
      },
      get: async (id) => runner?.get(this.name, id),
    }
  }

  get dataDir(): string {
    const dir = join(this.services.dataRoot, 'plugins', this.name)
    mkdirSync(dir, { recursive: true })
    return dir
  }

  mountWebhook(path: string, handler: WebhookHandler, options: WebhookOptions = {}): void {
    this.assertLive()
    if (typeof handler !== 'function') throw new TypeError(`mountWebhook("${path}") needs a handler function`)
    if (options.mode !== undefined && options.mode !== 'sync' && options.mode !== 'async') throw new TypeError(`mode must be "sync" or "async", not "${options.mode}"`)
    if (options.bodyLimit !== undefined && !(Number.isSafeInteger(options.bodyLimit) && options.bodyLimit > 0)) throw new TypeError('bodyLimit must be a positive whole number of bytes')
    // Checked here so that a bad limit fails the plugin's setup, not its first request.
    if (options.rateLimit) new RateLimiter(options.rateLimit)
    const methods = normalizeMethods(options.methods)
    const route: WebhookRoute = {
      plugin: this.name,
      path: normalizeMountPath(path),
      methods,
      allow: [...methods].join(', '),
      handler,
      options: { ...options, accepts: options.accepts?.map((t) => t.toLowerCase()) },
    }
    if (!options.verify && !options.public) {
      this.logger.warn({ path: route.path }, 'webhook has no verifier; anyone who knows its URL can call it (set public: true to silence this)')
    }
    this.services.routes.add(route)
    this.undo.push(() => this.services.routes.remove(route))
  }

  send(chatKey: string, message: MessageInput): Promise<SentMessage> {
    return this.queue([chatKey], message, false).then(([sent]) => sent)
  }

  sendAll(chatKeys: readonly string[], message: MessageInput): Promise<SentMessage[]> {
    return this.queue(chatKeys, message, true)
  }

  /** Inside a delivery, messages commit with it; outside, in their own transaction. */
  private async queue(chatKeys: readonly string[], message: MessageInput, deadIfUndeliverable: boolean, answer = false): Promise<SentMessage[]> {
    const scope = deliveryScope.getStore()
    const origin = { plugin: this.name, deliveryId: scope?.deliveryId }
    const rows = chatKeys.map((chatKey) => this.services.outbox.prepare(chatKey, message, origin, { deadIfUndeliverable, answer }))
    if (scope && scope.open && scope.plugin === this.name) scope.pending.push(...rows)
    else await this.services.outbox.store(rows)
    return rows.map((row) => (row.deadReason ? { id: row.id, dead: row.deadReason } : { id: row.id }))
  }

  /** ctx.reply(): a message marked as an answer, which a mute or quiet hours do not hold. */
  private readonly answer = (chatKey: string, message: MessageInput): Promise<SentMessage> => this.queue([chatKey], message, false, true).then(([sent]) => sent)

  command<S extends z.ZodObject>(name: string, options: CommandOptions<S>, handler: CommandHandler<z.output<S>>): () => void {
    this.assertLive()
    const chat = this.services.host.chat
    if (!chat) return () => undefined
    const off = chat.command(this.name, name, options, handler, this.answer)
    this.undo.push(off)
    return off
  }

  onMessage(filter: MessageFilter, handler: MessageHandler): () => void {
    this.assertLive()
    const chat = this.services.host.chat
    if (!chat) return () => undefined
    const off = chat.onMessage(this.name, filter, handler, this.answer)
    this.undo.push(off)
    return off
  }

  onInit(hook: Hook): void {
    this.initHooks.push(hook)
  }

  onCleanup(hook: Hook): void {
    this.cleanupHooks.push(hook)
  }

  effect(undo: Hook): void {
    this.assertLive()
    this.undo.push(undo)
  }

  emit<N extends string>(event: N, data: PluginEventData<N>): Promise<number> {
    return this.services.bus.emit(this.name, event, data)
  }

  on<N extends string>(event: N, handler: PluginEventHandler<PluginEventData<N>>): () => void {
    this.assertLive()
    const off = this.services.bus.subscribe(this.name, event, handler as PluginEventHandler)
    this.undo.push(off)
    return off
  }

  setInterval(fn: Hook, ms: number): () => void {
    this.assertLive()
    const timer = setInterval(() => this.guard(fn, 'interval'), ms)
    timer.unref()
    const stop = () => clearInterval(timer)
    this.undo.push(stop)
    return stop
  }

  setTimeout(fn: Hook, ms: number): () => void {
    this.assertLive()
    const timer = setTimeout(() => this.guard(fn, 'timeout'), ms)
    timer.unref()
    const stop = () => clearTimeout(timer)
    this.undo.push(stop)
    return stop
  }

  /** Runs the init hooks in order; a failing hook fails the plugin's load. */
  async init(): Promise<void> {
    for (const hook of this.initHooks) await hook()
  }

  /** Cleanup hooks (reverse order), then every registered side effect; errors are logged, never thrown. */
  async dispose(): Promise<void> {
    if (this.disposed) return
    this.disposed = true
    for (const hook of [...this.cleanupHooks].reverse()) await this.guard(hook, 'cleanup')
    for (const undo of [...this.undo].reverse()) await this.guard(undo, 'dispose')
    this.undo.length = 0
  }

  get isDisposed(): boolean {
    return this.disposed
  }

  private assertLive(): void {
    if (this.disposed) throw new Error(`plugin "${this.name}" is unloaded`)
  }

  private async guard(fn: Hook, what: string): Promise<void> {
    try {
      await fn()
    } catch (error) {
      this.logger.error({ err: error }, `plugin ${what} hook failed`)
    }
  }
}
