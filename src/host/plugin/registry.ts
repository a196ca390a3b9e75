// The plugins of a host: load, unload, enable, disable and reload at runtime, each failure contained.
import { registerSecrets, type Logger } from '../../util/logger.js'
import { HookcatError } from '../../util/errors.js'
import type { Storage } from '../../storage/types.js'
import { ConfigError, describeIssues } from '../../config/load.js'
import type { PluginSlot } from '../ingress/ingress.js'
import { RouteTable, webhookAccess, type WebhookAccess, type WebhookRoute } from '../ingress/routes.js'
import type { Outbox } from '../outbox/outbox.js'
import { configProblems, type ChatKeyCheck } from './config-check.js'
import { PluginContext, type HostServices } from './context.js'
import { isFileSource, loadPluginFile } from './loader.js'
import { PluginBus } from './events.js'
import { ConfigKey } from './config-key.js'
import { applyOverrides, CONFIG_OVERRIDES, overridesFor, type Overrides } from './overrides.js'
import { secretPaths, secretValues } from './secret.js'
import type { DefinedPlugin } from './types.js'

export type PluginState = 'loaded' | 'disabled' | 'failed'

/** Where versions before overrides saved whole plugin configs (kv rows, one per plugin); converted at start. */
export const SAVED_CONFIG = { plugin: 'hookcat', scope: 'plugin-config' } as const

export interface PluginEntry extends PluginSlot {
  definition: DefinedPlugin
  /** "builtin", a file path, or "npm:<package>". */
  source: string
  state: PluginState
  error?: string
  context?: PluginContext
  config: Record<string, unknown>
}

export interface PluginInfo {
  name: string
  version: string
  description: string
  source: string
  state: PluginState
  error?: string
  webhooks: Array<{ path: string; methods: string[]; mode: 'sync' | 'async'; verify: string[]; public: boolean; secretSet: boolean; access: WebhookAccess; description?: string }>
  secretFields: string[]
  /** Config fields (dot paths) set from the admin UI on top of hookcat.yaml. */
  overridden: string[]
}

export interface RegistryDeps {
  host: HostServices
  storage: Storage
  outbox: Outbox
  logger: Logger
  dataRoot: string
  /** The plugin's entry in hookcat.yaml. */
  settingsFor: (name: string) => { enabled: boolean; config: Record<string, unknown> }
  /** What is wrong with a chat_key named in a config (unknown adapter, bad channel), or undefined when it is fine. */
  checkChatKey?: ChatKeyCheck
  /** Config problems of enabled plugins stop start() (a ConfigError naming each path) instead of failing the plugin alone. */
  strict?: boolean
}

export class PluginRegistry {
  private readonly entries = new Map<string, PluginEntry>()
  private persisted: Record<string, boolean> = {}
  /** Fields set through the admin API, on top of hookcat.yaml's config. */
  private overrides = new Map<string, Overrides>()
  readonly configKey: ConfigKey

  /** Plugin-to-plugin events; each plugin's subscriptions end when it unloads. */
  readonly bus: PluginBus

  constructor(private readonly deps: RegistryDeps) {
    this.bus = new PluginBus(deps.logger.child({ part: 'plugin-events' }))
    this.configKey = new ConfigKey(deps.dataRoot)
  }

  /** Adds a plugin definition; a second plugin with the same name is refused. */
  add(definition: DefinedPlugin, source: string): void {
    const existing = this.entries.get(definition.name)
    if (existing) throw new Error(`plugin name "${definition.name}" from ${source} is already taken by ${existing.source}`)
    this.entries.set(definition.name, { definition, source, state: 'disabled', routes: new RouteTable(), config: {} })
  }

  /** Loads every plugin that is enabled (runtime choice from the admin API wins over the config file). */
  async start(): Promise<void> {
    this.persisted = await this.deps.storage.pluginStates()
    await this.convertSavedConfigs()
    for (const { key, value } of await this.deps.storage.kvList(CONFIG_OVERRIDES.plugin, CONFIG_OVERRIDES.scope, '')) {
      try {
        this.overrides.set(key, JSON.parse(value) as Overrides)
      } catch {
        this.deps.logger.error({ plugin: key }, 'config overrides are not valid JSON; hookcat.yaml is used')
      }
    }
    const enabled = [...this.entries.values()].filter((entry) => this.persisted[entry.definition.name] ?? this.deps.settingsFor(entry.definition.name).enabled)
    if (this.deps.strict) {
      // Every mistake at once, before anything is loaded: an event would otherwise be the first to find it, and be lost.
      const problems = enabled.flatMap((entry) => this.configProblems(entry.definition, this.settings(entry.definition.name).config))
      if (problems.length) throw new ConfigError('Invalid plugin configuration (nothing was started):', problems)
    }
    for (const entry of enabled) await this.load(entry)
  }

  /** Everything wrong with a plugin's config: schema issues, unknown keys and chat_keys that cannot be delivered to. */
  configProblems(definition: DefinedPlugin, config: Record<string, unknown>): string[] {
    const prefix = ['plugins', definition.name, 'config']
    const parsed = definition.config ? definition.config.safeParse(config) : { success: true as const }
    const schemaProblems = parsed.success ? [] : describeIssues(parsed.error, prefix)
    return [...schemaProblems, ...configProblems(definition.config, config, prefix.join('.'), this.deps.checkChatKey ?? (() => undefined)).map((p) => p.text)]
  }

  /**
   * A whole config saved by an older version becomes overrides of only the fields that differ from hookcat.yaml;
   * a secret in it that equals the file's is dropped, any other is encrypted; the plain-text row is deleted.
   */
  private async convertSavedConfigs(): Promise<void> {
    for (const { key, value } of await this.deps.storage.kvList(SAVED_CONFIG.plugin, SAVED_CONFIG.scope, '')) {
      const drop = { op: 'kv.delete' as const, plugin: SAVED_CONFIG.plugin, scope: SAVED_CONFIG.scope, key }
      const entry = this.entries.get(key)
      let saved: Record<string, unknown> | undefined
      try {
        saved = JSON.parse(value) as Record<string, unknown>
      } catch {
        this.deps.logger.error({ plugin: key }, 'saved plugin config is not valid JSON; dropped, hookcat.yaml is used')
      }
      if (!entry || !saved) {
        await this.deps.storage.write([drop])
        continue
      }
      const overrides = overridesFor(entry.definition.config, saved, this.deps.settingsFor(key).config, this.configKey, false)
      const keep = Object.keys(overrides).length ? [{ op: 'kv.set' as const, plugin: CONFIG_OVERRIDES.plugin, scope: CONFIG_OVERRIDES.scope, key, value: JSON.stringify(overrides) }] : []
      await this.deps.storage.write([...keep, drop])
      this.deps.logger.info({ plugin: key, overridden: Object.keys(overrides) }, 'saved plugin config converted to overrides of hookcat.yaml')
    }
  }

  /** hookcat.yaml's settings of the plugin (environment variables resolved), without overrides. */
  fileSettings(name: string): { enabled: boolean; config: Record<string, unknown> } {
    return this.deps.settingsFor(name)
  }

  /** The plugin's settings in effect: hookcat.yaml's, with the fields overridden through the admin API on top. */
  settings(name: string): { enabled: boolean; config: Record<string, unknown> } {
    const file = this.deps.settingsFor(name)
    const overrides = this.overrides.get(name)
    if (!overrides) return file
    const { config, problems } = applyOverrides(file.config, overrides, this.configKey)
    if (problems.length) this.deps.logger.error({ plugin: name, problems }, 'config overrides left out: hookcat.yaml is used for them')
    return { ...file, config }
  }

  overridesOf(name: string): Overrides {
    return this.overrides.get(name) ?? {}
  }

  /** Uses overrides (already stored) from the next load or reload on. */
  useOverrides(name: string, overrides: Overrides): void {
    if (Object.keys(overrides).length) this.overrides.set(name, overrides)
    else this.overrides.delete(name)
  }

  lookup(name: string): PluginEntry | undefined {
    return this.entries.get(name)
  }

  get(name: string): PluginEntry {
    const entry = this.entries.get(name)
    if (!entry) throw new HookcatError('PLUGIN_NOT_FOUND', `No plugin named "${name}"`)
    return entry
  }

  names(): string[] {
    return [...this.entries.keys()]
  }

  findRoute(plugin: string, path: string): { route: WebhookRoute; params: Record<string, string> } | undefined {
    const entry = this.entries.get(plugin)
    if (!entry || entry.state !== 'loaded') return undefined
    return entry.routes.match(path)
  }

  async enable(name: string): Promise<PluginInfo> {
    const entry = this.get(name)
    await this.deps.storage.write([{ op: 'pluginState.set', plugin: name, enabled: true }])
    this.persisted[name] = true
    if (entry.state !== 'loaded') await this.load(entry)
    return this.info(entry)
  }

  async disable(name: string): Promise<PluginInfo> {
    const entry = this.get(name)
    await this.deps.storage.write([{ op: 'pluginState.set', plugin: name, enabled: false }])
    this.persisted[name] = false
    await this.unload(entry)
    entry.state = 'disabled'
    entry.error = undefined
    return this.info(entry)
  }

  /** Re-reads a file plugin's code (when it has a file) and its config, and loads it again. */
  async reload(name: string, definition?: DefinedPlugin): Promise<PluginInfo> {
    const entry = this.get(name)
    let next = definition
    if (!next && isFileSource(entry.source)) {
      const found = await loadPluginFile(entry.source, true)
      if ('error' in found) throw new HookcatError('PLUGIN_LOAD_FAILED', `Reloading "${name}" failed: ${found.error}`, { status: 500 })
      if (found.definition.name !== name) throw new HookcatError('CONFLICT', `The file now defines plugin "${found.definition.name}", not "${name}"`)
      next = found.definition
    }
    if (entry.state === 'disabled') {
      if (next) entry.definition = next
      return this.info(entry)
    }
    // The new version is set up beside the old one, which keeps serving until the swap (or for good, if the new one fails).
    const ok = await this.load(entry, next ?? entry.definition, true)
    if (!ok) throw new HookcatError('PLUGIN_LOAD_FAILED', `Reloading "${name}" failed: ${entry.error ?? 'unknown error'}`, { status: 500 })
    return this.info(entry)
  }

  async stop(): Promise<void> {
    for (const entry of [...this.entries.values()].reverse()) await this.unload(entry)
  }

  /** Every secret value of every plugin's config, for scrubbing. */
  secrets(): string[] {
    return [...this.entries.values()].flatMap((e) => secretValues(e.definition.config, e.config))
  }

  list(): PluginInfo[] {
    return [...this.entries.values()].map((e) => this.info(e))
  }

  info(entry: PluginEntry): PluginInfo {
    return {
      name: entry.definition.name,
      version: entry.definition.version,
      description: entry.definition.description ?? '',
      source: entry.source,
      state: entry.state,
      error: entry.error,
      secretFields: secretPaths(entry.definition.config),
      overridden: Object.keys(this.overridesOf(entry.definition.name)),
      webhooks: entry.routes.routes().map((r) => {
        const verifiers = r.options.verify === undefined ? [] : Array.isArray(r.options.verify) ? r.options.verify : [r.options.verify]
        return {
          path: r.path,
          methods: [...r.methods].filter((m) => m !== 'HEAD' || !r.methods.has('GET')),
          mode: r.options.mode ?? 'sync',
          verify: verifiers.map((v) => v.description),
          public: r.options.public === true,
          secretSet: verifiers.every((v) => v.hasSecret(entry.config)),
          access: webhookAccess(r.options, entry.config),
          description: r.options.description,
        }
      }),
    }
  }

  /** Sets a plugin up with fresh routes and swaps it in only when setup succeeded; returns whether it did. */
  private async load(entry: PluginEntry, definition = entry.definition, keepOldOnFailure = false): Promise<boolean> {
    const settings = this.settings(definition.name)
    // Known before parsing, so that even a config that fails validation cannot leak its secrets into the log.
    registerSecrets(secretValues(definition.config, settings.config))
    const parsed = definition.config ? definition.config.safeParse(settings.config) : { success: true as const, data: settings.config }
    const fail = (message: string): false => {
      if (keepOldOnFailure && entry.state === 'loaded') {
        this.deps.logger.error({ plugin: definition.name, err: message }, 'plugin reload failed; the previous version keeps serving')
        entry.error = message
        return false
      }
      entry.state = 'failed'
      entry.error = message
      this.deps.logger.error({ plugin: definition.name, err: message }, 'plugin not loaded')
      return false
    }
    if (!parsed.success) return fail(`invalid config: ${describeIssues(parsed.error, ['plugins', definition.name, 'config']).join('; ')}`)
    const problems = configProblems(definition.config, settings.config, `plugins.${definition.name}.config`, this.deps.checkChatKey ?? (() => undefined))
    const unknown = problems.filter((p) => p.kind === 'unknown-key')
    if (unknown.length) return fail(`invalid config: ${unknown.map((p) => p.text).join('; ')}`)
    // Past start-up (a reload, a saved config), messages to such a chat become dead letters; the other chats still get theirs.
    for (const p of problems) if (p.kind === 'chat-key') this.deps.logger.warn({ plugin: definition.name, problem: p.text }, 'chat_key in the config cannot be delivered to')
    const config = (parsed.data ?? {}) as Record<string, unknown>
    registerSecrets(secretValues(definition.config, config))
    const routes = new RouteTable()
    const context = new PluginContext(definition, config, {
      host: this.deps.host,
      storage: this.deps.storage,
      outbox: this.deps.outbox,
      routes,
      logger: this.deps.logger,
      dataRoot: this.deps.dataRoot,
      bus: this.bus,
    })
    try {
      await definition.setup(context as PluginContext<never>)
      await context.init()
    } catch (error) {
      await context.dispose()
      return fail((error as Error)?.message ?? String(error))
    }
    const previous = entry.context
    entry.definition = definition
    entry.config = config
    entry.routes = routes
    entry.context = context
    entry.state = 'loaded'
    entry.error = undefined
    if (previous) await previous.dispose()
    return true
  }

  private async unload(entry: PluginEntry): Promise<void> {
    if (entry.context) {
      await entry.context.dispose()
      entry.context = undefined
    }
    if (entry.state === 'loaded') entry.state = 'disabled'
  }
}
