// The host: storage, adapters, plugins, ingress, inbox, outbox and the HTTP server, started and stopped as one.
import { resolve } from 'node:path'
import type { HookcatConfig } from '../config/schema.js'
import { createLogger, registerSecrets, type Logger } from '../util/logger.js'
import { VERSION } from '../util/version.js'
import { createStorage } from '../storage/index.js'
import type { Storage } from '../storage/types.js'
import { resolveAdminToken, type AdminToken } from './admin-token.js'
import { closeAdapters, createAdapters, linkStates } from './adapters.js'
import { HostEvents } from './events.js'
import { Inbox } from './inbox/inbox.js'
import { Ingress } from './ingress/ingress.js'
import { ingressSettings } from './ingress/settings.js'
import { HostServer, publicUrlOf, type HttpMount } from './http-server.js'
import { Lifecycle } from './lifecycle.js'
import { HostMetrics } from './metrics.js'
import type { AdapterFactory, AdapterInstance, AdapterStatus } from './outbox/adapter.js'
import { Outbox } from './outbox/outbox.js'
import { discoverPlugins } from './plugin/loader.js'
import { PluginRegistry } from './plugin/registry.js'
import type { DefinedPlugin } from './plugin/types.js'
import { TaskRunner } from './tasks/runner.js'
import { createLeases } from './work/index.js'
import { AdapterProbes } from './reachability.js'
import { every, pruneLog, RETENTION_EVERY } from './retention.js'
import { ChatRegistry } from './chat/registry.js'
import { adapterLink, CHAT_PATH, CHAT_PLUGIN, chatRoute } from './chat/route.js'
import { UpgradeRouter } from './upgrades.js'

export interface HostOptions {
  config: HookcatConfig
  /** Plugins given in code (the built-ins, or a test's). */
  plugins?: Array<{ definition: DefinedPlugin; source?: string }>
  adapters?: AdapterFactory[]
  logger?: Logger
  /** Folder that relative paths in the config are resolved against. */
  baseDir?: string
  now?: () => number
  /** false: load everything but do not listen nor resume work (for `hookcat plugins` and other inspections). */
  listen?: boolean
  /** false: a plugin whose config is wrong fails alone instead of stopping the start (default true). */
  strictConfig?: boolean
  /** Leave out adapter instances whose settings are incomplete instead of stopping (read-only CLI commands). */
  tolerateAdapters?: boolean
}

export interface PluginLoadProblem {
  source: string
  error: string
}

export class Host {
  readonly config: HookcatConfig
  readonly logger: Logger
  readonly events = new HostEvents()
  readonly storage: Storage
  readonly dataDir: string
  readonly startedAt = Date.now()
  outbox!: Outbox
  inbox!: Inbox
  ingress!: Ingress
  registry!: PluginRegistry
  /** Durable background tasks of plugins (plugin.tasks). */
  tasks!: TaskRunner
  metrics!: HostMetrics
  adapters = new Map<string, AdapterInstance>()
  /** Adapter instances left out (tolerateAdapters) and why. */
  skippedAdapters: string[] = []
  /** Whether each adapter's platform answered at start-up (probe()), for the banner and /readyz. */
  readonly probes: AdapterProbes
  adminToken!: AdminToken
  /** Plugins that could not be loaded at all (import errors, duplicate names). */
  readonly loadProblems: PluginLoadProblem[] = []
  private readonly server: HostServer
  private readonly life: Lifecycle
  private adapterSecrets: string[] = []
  private readonly now: () => number
  /** Chat commands and message handlers of the plugins; inbound chat messages are dispatched here. */
  chat!: ChatRegistry
  private readonly upgrades = new UpgradeRouter()

  constructor(private readonly options: HostOptions) {
    this.config = options.config
    this.logger = options.logger ?? createLogger({ level: options.config.log.level })
    const baseDir = options.baseDir ?? process.cwd()
    this.dataDir = resolve(baseDir, this.config.dataDir)
    this.storage = createStorage(this.config.storage, baseDir)
    this.now = options.now ?? Date.now
    this.life = new Lifecycle(this.logger)
    this.server = new HostServer({
      settings: this.config.server,
      logger: this.logger,
      startedAt: this.startedAt,
      webhook: (req, res) => this.ingress.handle(req, res),
      ping: () => this.storage.ping(),
      metrics: () => this.metrics.text(),
      stopping: () => this.life.isStopping,
      adapterStates: () => this.probes.states(),
      links: () => this.adapterStates(),
      upgrade: (req, socket, head) => this.upgrades.handle(req, socket, head, this.logger),
    })
    this.probes = new AdapterProbes(this.logger.child({ part: 'adapters' }))
  }

  /** Opens storage, loads adapters and plugins, resumes unfinished work, then listens. A failed start stops what it started. */
  async start(): Promise<void> {
    try {
      await this.startParts()
    } catch (error) {
      // Without this, the storage writer thread (and timers) of a host that failed to start keep the process alive.
      await this.stop().catch(() => undefined)
      throw error
    }
  }

  private async startParts(): Promise<void> {
    const { config } = this
    this.adminToken = resolveAdminToken(config.server.adminToken, this.dataDir)
    // Parts are undone newest first: the server, the work, the plugins, the adapters, then storage.
    this.life.defer('storage', () => this.storage.close())
    await this.storage.open()
    const adapters = createAdapters(config, this.options.adapters ?? [], { logger: this.logger, storage: this.storage, events: this.events, dataDir: this.dataDir, tolerate: this.options.tolerateAdapters })
    this.skippedAdapters = adapters.skipped
    this.adapters = adapters.instances
    this.life.defer('adapters', () => closeAdapters(this.adapters))
    this.adapterSecrets = adapters.secrets
    registerSecrets([this.adminToken.token, ...adapters.secrets])
    this.chat = new ChatRegistry(this.logger.child({ part: 'chat' }))
    this.metrics = new HostMetrics({
      adapterConnected: () => new Map(Object.entries(this.adapterStates()).map(([name, state]) => [name, state.state === 'up' ? 1 : 0])),
      storage: this.storage,
      inboxBacklog: () => this.inbox.backlog,
      requestsInFlight: () => this.ingress.requestsInFlight,
      unverifiedBytes: () => this.ingress?.unverifiedBytes ?? 0,
      outboxDepth: () => this.outbox.depthByAdapter(),
    })
    const leases = createLeases(this.storage, config.outbox, this.logger)
    this.outbox = new Outbox({
      storage: this.storage,
      adapters: this.adapters,
      settings: config.outbox,
      logger: this.logger.child({ part: 'outbox' }),
      events: this.events,
      now: this.now,
      onAttempt: (adapter, ok, seconds) => this.metrics.attempt(adapter, ok, seconds),
      onDelivered: (adapter, seconds) => this.metrics.delivered(adapter, seconds),
      onDead: (adapter) => this.metrics.dead(adapter),
      leases,
    })
    this.tasks = new TaskRunner({ storage: this.storage, logger: this.logger.child({ part: 'tasks' }), now: this.now, settings: config.tasks, leases })
    this.registry = new PluginRegistry({
      host: {
        tasks: this.tasks,
        chat: this.chat,
        version: VERSION,
        startedAt: this.startedAt,
        now: this.now,
        publicUrl: () => this.publicUrl,
        maintenance: () => this.outbox.isHeld,
        setMaintenance: (on) => this.setMaintenance(on),
      },
      storage: this.storage,
      outbox: this.outbox,
      logger: this.logger,
      dataRoot: this.dataDir,
      settingsFor: (name) => config.plugins[name] ?? { enabled: true, config: {} },
      checkChatKey: (chatKey) => this.outbox.problemWith(chatKey),
      strict: this.options.strictConfig ?? true,
    })
    const baseUrl = () => this.publicUrl
    const inbound = chatRoute(this.chat)
    this.inbox = new Inbox({
      storage: this.storage,
      outbox: this.outbox,
      events: this.events,
      logger: this.logger.child({ part: 'inbox' }),
      settings: { ...config.inbox, handlerTimeout: config.server.handlerTimeout },
      findRoute: (plugin, path) => (plugin === CHAT_PLUGIN && path === CHAT_PATH ? { route: inbound, params: {} } : this.registry.findRoute(plugin, path)),
      baseUrl,
      now: this.now,
      // Acknowledging webhooks goes first: while requests are in flight, handlers run one at a time.
      busy: () => this.ingress.requestsInFlight > 0,
      inOrder: (row, committing) => (row.orderingKey ? leases.inOrder(row.id, row.orderingKey, committing) : 0),
    })
    this.ingress = new Ingress({
      lookup: (name) => this.registry.lookup(name),
      storage: this.storage,
      inbox: this.inbox,
      outbox: this.outbox,
      events: this.events,
      logger: this.logger.child({ part: 'ingress' }),
      settings: ingressSettings(config, baseUrl, () => this.adminToken.token),
      now: this.now,
      onAnswered: (plugin, status, seconds) => this.metrics.request(plugin, status, seconds),
      onRefused: (plugin, route, reason) => this.metrics.refusal(plugin, route, reason),
    })
    // Counted refusals are written in batches: the last batch goes out before storage closes.
    this.life.defer('refusals', () => this.ingress.refusals.flush())
    await this.addPlugins()
    this.life.defer('plugins', () => this.registry.stop())
    await this.registry.start()
    if (this.options.listen === false) return
    this.life.defer('outbox', () => this.outbox.stop())
    this.life.defer('tasks', () => this.tasks.stop())
    this.life.defer('inbox', () => this.inbox.stop())
    this.life.defer('leases', () => leases.stop())
    await this.prune()
    const { messages: resumedMessages, deliveries: resumedDeliveries } = await leases.start({
      deliveries: (rows) => rows.forEach((row) => this.inbox.enqueue({ row })),
      claimTasks: () => this.tasks.claim(),
      heldTasks: () => this.tasks.heldTasks(),
      resumeMessages: () => this.outbox.start(),
      resumeDeliveries: () => this.inbox.recover(),
    })
    const resumedTasks = await this.tasks.run()
    if (resumedMessages || resumedDeliveries || resumedTasks) this.logger.info({ resumedMessages, resumedDeliveries, resumedTasks }, 'resumed unfinished work')
    this.life.defer('retention', every(RETENTION_EVERY, () => void this.prune()))
    await this.life.effect('server', () => this.server.listen(), () => this.server.close())
    this.probes.start(this.adapters)
    const link = adapterLink({ inject: (input) => this.ingress.inject(input), upgrades: this.upgrades, mount: (prefix, handler) => this.mount(prefix, handler), publicUrl: () => this.publicUrl })
    for (const adapter of this.adapters.values()) await adapter.attach?.(link)
  }

  /** Connection state of the adapters that keep a live link (for /readyz and the banner). */
  adapterStates(): Record<string, AdapterStatus> {
    return linkStates(this.adapters)
  }

  private async addPlugins(): Promise<void> {
    const baseDir = this.options.baseDir ?? process.cwd()
    const given = (this.options.plugins ?? []).map((p) => ({ source: p.source ?? 'builtin', definition: p.definition }))
    for (const item of [...given, ...(await discoverPlugins(resolve(baseDir, this.config.pluginsDir), this.config.packages, baseDir))]) {
      if (!('definition' in item)) {
        this.loadProblems.push({ source: item.source, error: item.error })
        this.logger.error({ source: item.source, err: item.error }, 'plugin could not be loaded; skipped')
        continue
      }
      try {
        this.registry.add(item.definition, item.source)
      } catch (error) {
        this.loadProblems.push({ source: item.source, error: (error as Error).message })
        this.logger.error({ source: item.source, err: (error as Error).message }, 'plugin skipped')
      }
    }
  }

  /** Serves another part of the HTTP surface (admin API, web UI) under a path prefix; the most specific prefix wins. */
  mount(prefix: string, handler: HttpMount): void {
    this.server.mount(prefix, handler)
  }

  /** Runs `hook` when the host begins to stop, before its parts are undone; returns its removal. */
  onStop(hook: () => unknown): () => void {
    return this.life.onStop(hook)
  }

  /** Runs now all durable work due by the injected clock (a test clock that jumped ahead calls this). */
  wake(): void {
    this.inbox?.wake()
    this.outbox?.wake()
    this.tasks?.wake()
  }

  /** Maintenance: the outbox keeps messages and sends none until it ends. */
  setMaintenance(on: boolean): void {
    if (on === this.outbox.isHeld) return
    if (on) this.outbox.hold()
    else this.outbox.release()
    this.logger.info({ maintenance: on }, on ? 'maintenance mode on: messages are held' : 'maintenance mode off: held messages are sent')
  }

  /** Deletes deliveries and finished tasks beyond the configured counts and ages (retention.*). */
  prune(): Promise<number> {
    return pruneLog(this.storage, this.config.retention, this.now(), this.logger)
  }

  get port(): number {
    return this.server.port ?? this.config.server.port
  }

  /** The base URL webhook URLs are built from: server.publicUrl, or the local address. */
  get publicUrl(): string {
    return publicUrlOf(this.config.server, this.port)
  }

  webhookUrl(plugin: string, path: string): string {
    return `${this.publicUrl}/api/plugin/${plugin}/webhook${path === '/' ? '' : path}`
  }

  /** Every secret the host knows (admin token, plugin and adapter secrets), for scrubbing and for tests. */
  secrets(): string[] {
    return [this.adminToken?.token, ...this.registry.secrets(), ...this.adapterSecrets].filter((s): s is string => !!s)
  }

  /** Stops taking requests, lets running work finish (bounded), then closes storage. */
  stop(): Promise<void> {
    return this.life.stop()
  }
}
