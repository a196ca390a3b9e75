// The host: storage, adapters, plugins, ingress, inbox, outbox and the HTTP server, started and stopped as one.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import type { HookcatConfig } from '../config/schema.js'
import { createLogger, registerSecrets, type Logger } from '../util/logger.js'
import { VERSION } from '../util/version.js'
import { errorBody, HookcatError } from '../util/errors.js'
import { createStorage } from '../storage/index.js'
import type { Storage } from '../storage/types.js'
import { resolveAdminToken, type AdminToken } from './admin-token.js'
import { createAdapters } from './adapters.js'
import { ClusterWork } from './cluster.js'
import { HostEvents } from './events.js'
import { Inbox } from './inbox/inbox.js'
import { Ingress } from './ingress/ingress.js'
import { MAX_HEADER_SIZE, SERVER_MAX_HEADERS_COUNT } from './ingress/limits.js'
import { PLUGIN_PREFIX } from './ingress/path.js'
import { HostMetrics } from './metrics.js'
import type { AdapterFactory, AdapterInstance } from './outbox/adapter.js'
import { Outbox } from './outbox/outbox.js'
import { discoverFolder, discoverPackages } from './plugin/loader.js'
import { PluginRegistry } from './plugin/registry.js'
import type { DefinedPlugin } from './plugin/types.js'
import { TaskRunner } from './tasks/runner.js'
import { ChatRegistry } from './chat/registry.js'
import { CHAT_PATH, CHAT_PLUGIN, chatRoute } from './chat/route.js'
import { UpgradeRouter } from './upgrades.js'
import type { AdapterLink } from './outbox/adapter.js'

export type HttpMount = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>

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
}

export interface PluginLoadProblem {
  source: string
  error: string
}

const RETENTION_EVERY = 10 * 60_000

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
  adminToken!: AdminToken
  /** Plugins that could not be loaded at all (import errors, duplicate names). */
  readonly loadProblems: PluginLoadProblem[] = []
  private server?: Server
  private readonly mounts: Array<{ prefix: string; handler: HttpMount }> = []
  private retentionTimer?: NodeJS.Timeout
  private cluster?: ClusterWork
  private adapterSecrets: string[] = []
  private stopping = false
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
    await this.storage.open()
    const adapters = createAdapters(config, this.options.adapters ?? [], { logger: this.logger, storage: this.storage, events: this.events, dataDir: this.dataDir })
    this.adapters = adapters.instances
    this.adapterSecrets = adapters.secrets
    registerSecrets([this.adminToken.token, ...adapters.secrets])
    this.chat = new ChatRegistry(this.logger.child({ part: 'chat' }))
    this.metrics = new HostMetrics({
      adapterConnected: () => new Map([...this.adapters.values()].flatMap((a) => (a.status ? [[a.name, a.status().state === 'up' ? 1 : 0] as [string, number]] : []))),
      storage: this.storage,
      inboxBacklog: () => this.inbox.backlog,
      requestsInFlight: () => this.ingress.requestsInFlight,
      unverifiedBytes: () => this.ingress?.unverifiedBytes ?? 0,
      outboxDepth: () => this.outbox.depthByAdapter(),
    })
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
      coordinator: this.storage.coordinator,
    })
    this.tasks = new TaskRunner({ storage: this.storage, logger: this.logger.child({ part: 'tasks' }), now: this.now, coordinator: this.storage.coordinator })
    this.registry = new PluginRegistry({
      host: {
        tasks: this.tasks,
        chat: this.chat,
        version: VERSION,
        startedAt: this.startedAt,
        publicUrl: () => this.publicUrl,
        maintenance: () => this.outbox.isHeld,
        setMaintenance: (on) => this.setMaintenance(on),
      },
      storage: this.storage,
      outbox: this.outbox,
      logger: this.logger,
      dataRoot: this.dataDir,
      settingsFor: (name) => config.plugins[name] ?? { enabled: true, config: {} },
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
    })
    this.ingress = new Ingress({
      lookup: (name) => this.registry.lookup(name),
      storage: this.storage,
      inbox: this.inbox,
      outbox: this.outbox,
      events: this.events,
      logger: this.logger.child({ part: 'ingress' }),
      settings: {
        bodyLimit: config.server.bodyLimit,
        storeBodyLimit: config.retention.storeBodyLimit,
        handlerTimeout: config.server.handlerTimeout,
        maxInFlight: config.server.maxInFlight,
        maxBacklog: config.inbox.maxBacklog,
        trustProxy: config.server.trustProxy,
        unverifiedBodyBudget: config.server.unverifiedBodyBudget,
        maxUnverifiedPerClient: config.server.maxUnverifiedPerClient,
        baseUrl,
        adminToken: () => this.adminToken.token,
      },
      now: this.now,
      onAnswered: (plugin, status, seconds) => this.metrics.request(plugin, status, seconds),
      onRefused: (plugin, route, reason) => this.metrics.refusal(plugin, route, reason),
    })
    await this.addPlugins()
    await this.registry.start()
    if (this.options.listen === false) return
    await this.prune()
    let resumedMessages = 0
    let resumedDeliveries = 0
    const coordinator = this.storage.coordinator
    if (coordinator) {
      // Several processes share the database: work is taken over by lease, never by reading everything at start-up.
      this.cluster = new ClusterWork({ coordinator, inbox: this.inbox, outbox: this.outbox, tasks: this.tasks, logger: this.logger.child({ part: 'cluster' }) })
      await this.cluster.start()
    } else {
      resumedMessages = await this.outbox.start()
      resumedDeliveries = await this.inbox.recover()
    }
    const resumedTasks = await this.tasks.run()
    if (resumedMessages || resumedDeliveries || resumedTasks) this.logger.info({ resumedMessages, resumedDeliveries, resumedTasks }, 'resumed unfinished work')
    this.retentionTimer = setInterval(() => void this.prune(), RETENTION_EVERY)
    this.retentionTimer.unref()
    await this.listen()
    for (const adapter of this.adapters.values()) await adapter.attach?.(this.adapterLink())
  }

  /** What adapters that receive messages get: the durable inbox (as an internal async route) and the HTTP server. */
  private adapterLink(): AdapterLink {
    return {
      receive: (message, dedupKey) =>
        this.ingress.inject({ plugin: CHAT_PLUGIN, path: CHAT_PATH, body: Buffer.from(JSON.stringify(message)), dedupKey: `${message.adapter}:${dedupKey}`, client: message.adapter }),
      onUpgrade: (path, handler) => this.upgrades.add(path, handler),
      mount: (prefix, handler) => this.mount(prefix, handler),
      publicUrl: () => this.publicUrl,
    }
  }

  /** Connection state of the adapters that keep a live link (for /readyz and the banner). */
  adapterStates(): Record<string, ReturnType<NonNullable<AdapterInstance['status']>>> {
    return Object.fromEntries([...this.adapters.values()].flatMap((a) => (a.status ? [[a.name, a.status()]] : [])))
  }

  private async addPlugins(): Promise<void> {
    const found: Array<{ source: string; definition?: DefinedPlugin; error?: string }> = []
    for (const p of this.options.plugins ?? []) found.push({ source: p.source ?? 'builtin', definition: p.definition })
    const baseDir = this.options.baseDir ?? process.cwd()
    found.push(...(await discoverFolder(resolve(baseDir, this.config.pluginsDir))))
    found.push(...(await discoverPackages(this.config.packages, baseDir)))
    for (const item of found) {
      if (!item.definition) {
        this.loadProblems.push({ source: item.source, error: item.error ?? 'unknown error' })
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

  private listen(): Promise<void> {
    const { server: settings } = this.config
    const server = createServer(
      {
        requestTimeout: settings.requestTimeout,
        headersTimeout: Math.min(settings.requestTimeout, 20_000),
        // node checks those timeouts only this often (30 s by default, which could double a short requestTimeout).
        connectionsCheckingInterval: Math.min(30_000, Math.max(100, Math.floor(settings.requestTimeout / 4))),
        keepAliveTimeout: 65_000,
        maxHeaderSize: MAX_HEADER_SIZE,
      },
      (req, res) => this.route(req, res),
    )
    // One past the limit, so that the ingress can tell "too many" (431) from "exactly the limit"; node drops the rest silently.
    server.maxHeadersCount = SERVER_MAX_HEADERS_COUNT
    server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
      if (!socket.writable) return socket.destroy()
      const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400
      const text = status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request'
      const body = JSON.stringify({ error: { code: status === 431 ? 'HEADERS_TOO_LARGE' : status === 408 ? 'REQUEST_TIMEOUT' : 'BAD_REQUEST', message: text } })
      socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`)
    })
    server.on('upgrade', (req, socket, head) => this.upgrades.handle(req, socket, head, this.logger))
    this.server = server
    return new Promise((resolvePromise, reject) => {
      server.once('error', reject)
      server.listen(settings.port, settings.host, () => {
        server.off('error', reject)
        resolvePromise()
      })
    })
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '/'
    if (url.startsWith(PLUGIN_PREFIX)) {
      if (this.stopping) return this.answerError(res, new HookcatError('SHUTTING_DOWN', undefined, { headers: { 'retry-after': '5' } }))
      void this.ingress.handle(req, res)
      return
    }
    const path = url.split('?')[0]
    if (path === '/healthz') return this.json(res, 200, { status: 'ok', uptime: Math.round((Date.now() - this.startedAt) / 1000) })
    if (path === '/readyz') {
      void this.storage.ping().then((ok) => {
        const adapters = this.adapterStates()
        const body = { status: ok && !this.stopping ? 'ready' : 'not ready', storage: ok ? 'ok' : 'unreachable', ...(Object.keys(adapters).length ? { adapters } : {}) }
        this.json(res, ok && !this.stopping ? 200 : 503, body)
      })
      return
    }
    if (path === '/metrics') {
      void this.metrics.text().then(
        ({ contentType, body }) => {
          res.writeHead(200, { 'content-type': contentType })
          res.end(body)
        },
        () => this.answerError(res, new HookcatError('INTERNAL')),
      )
      return
    }
    for (const mount of this.mounts) {
      if (path === mount.prefix || path.startsWith(mount.prefix.endsWith('/') ? mount.prefix : `${mount.prefix}/`) || mount.prefix === '/') {
        Promise.resolve(mount.handler(req, res)).catch((error) => {
          this.logger.error({ err: error, path }, 'request failed')
          this.answerError(res, error)
        })
        return
      }
    }
    this.answerError(res, new HookcatError('NOT_FOUND'))
  }

  /** Serves another part of the HTTP surface (admin API, web UI) under a path prefix; the most specific prefix wins. */
  mount(prefix: string, handler: HttpMount): void {
    this.mounts.push({ prefix, handler })
    this.mounts.sort((a, b) => b.prefix.length - a.prefix.length)
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body)
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) })
    res.end(text)
  }

  private answerError(res: ServerResponse, error: unknown): void {
    if (res.headersSent) {
      res.destroy()
      return
    }
    const { status, body, headers } = errorBody(error)
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
    res.end(body)
  }

  /** Maintenance: the outbox keeps messages and sends none until it ends. */
  setMaintenance(on: boolean): void {
    if (on === this.outbox.isHeld) return
    if (on) this.outbox.hold()
    else this.outbox.release()
    this.logger.info({ maintenance: on }, on ? 'maintenance mode on: messages are held' : 'maintenance mode off: held messages are sent')
  }

  /** Deletes deliveries and finished tasks beyond the configured counts and ages (retention.*). */
  async prune(): Promise<number> {
    const { maxDeliveries, maxAge, maxTasks, maxTaskAge } = this.config.retention
    const now = this.now()
    try {
      const results = await this.storage.write([
        { op: 'deliveries.prune', keep: maxDeliveries, olderThan: now - maxAge },
        { op: 'tasks.prune', keep: maxTasks, olderThan: now - maxTaskAge },
      ])
      return results.reduce((n, r) => n + (r.changes ?? 0), 0)
    } catch (error) {
      this.logger.error({ err: (error as Error).message }, 'pruning the delivery log failed')
      return 0
    }
  }

  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? this.config.server.port
  }

  /** The base URL webhook URLs are built from: server.publicUrl, or the local address. */
  get publicUrl(): string {
    if (this.config.server.publicUrl) return this.config.server.publicUrl.replace(/\/$/, '')
    const host = this.config.server.host === '0.0.0.0' || this.config.server.host === '::' ? '127.0.0.1' : this.config.server.host
    return `http://${host.includes(':') ? `[${host}]` : host}:${this.port}`
  }

  webhookUrl(plugin: string, path: string): string {
    return `${this.publicUrl}/api/plugin/${plugin}/webhook${path === '/' ? '' : path}`
  }

  /** Every secret the host knows (admin token, plugin and adapter secrets), for scrubbing and for tests. */
  secrets(): string[] {
    return [this.adminToken?.token, ...this.registry.secrets(), ...this.adapterSecrets].filter((s): s is string => !!s)
  }

  /** Stops taking requests, lets running work finish (bounded), then closes storage. */
  async stop(): Promise<void> {
    if (this.stopping) return
    this.stopping = true
    if (this.retentionTimer) clearInterval(this.retentionTimer)
    const server = this.server
    if (server) {
      const closed = new Promise<void>((r) => server.close(() => r()))
      server.closeIdleConnections()
      await Promise.race([closed, new Promise((r) => setTimeout(r, 3000).unref())])
      server.closeAllConnections()
    }
    this.cluster?.stop()
    await this.inbox?.stop()
    await this.tasks?.stop()
    await this.outbox?.stop()
    await this.registry?.stop()
    for (const adapter of this.adapters.values()) await adapter.close?.().catch(() => undefined)
    await this.ingress?.refusals.flush()
    await this.storage.close()
  }
}
