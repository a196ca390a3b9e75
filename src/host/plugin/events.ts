// Plugin-to-plugin events: a plugin emits "release.published", others subscribe by name or by "<plugin>:<event>".
import type { Logger } from '../../util/logger.js'
import { deliveryScope } from '../ingress/delivery-scope.js'

/**
 * Event names and their data, for type checking. Plugins declare theirs by augmenting this interface:
 * `declare module 'hookcat' { interface PluginEvents { 'release.published': { tag: string } } }`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface PluginEvents {}

/** Data of an event name: declared in PluginEvents, else unknown. "<plugin>:<event>" has the data of "<event>". */
export type PluginEventData<N extends string> = N extends keyof PluginEvents
  ? PluginEvents[N]
  : N extends `${string}:${infer E}`
    ? E extends keyof PluginEvents
      ? PluginEvents[E]
      : unknown
    : unknown

export interface PluginEventMeta {
  /** The plugin that emitted the event. */
  plugin: string
  /** The event's name without the plugin, e.g. "release.published". */
  event: string
}

export type PluginEventHandler<Data = unknown> = (data: Data, meta: PluginEventMeta) => void | Promise<void>

interface Subscription {
  subscriber: string
  /** "release.published" (from any plugin) or "github:release.published" (from that plugin only). */
  pattern: string
  handler: PluginEventHandler
}

const EVENT_NAME = /^[A-Za-z0-9_.-]{1,128}$/

/** Checks an event name: letters, digits, ".", "_" and "-"; ":" is reserved for "<plugin>:<event>" subscriptions. */
export function checkEventName(name: string, allowPlugin: boolean): void {
  const parts = allowPlugin ? name.split(':') : [name]
  if (parts.length > 2 || !parts.every((p) => EVENT_NAME.test(p))) {
    throw new TypeError(`event name "${name}" must be letters, digits, ".", "_" or "-"${allowPlugin ? ', optionally "<plugin>:" before it' : ''}`)
  }
}

export class PluginBus {
  private readonly subscriptions = new Set<Subscription>()

  constructor(private readonly logger: Logger) {}

  /** Adds a subscription; the returned function removes it (the plugin's context calls it on unload). */
  subscribe(subscriber: string, pattern: string, handler: PluginEventHandler): () => void {
    checkEventName(pattern, true)
    const subscription: Subscription = { subscriber, pattern, handler }
    this.subscriptions.add(subscription)
    return () => {
      this.subscriptions.delete(subscription)
    }
  }

  /** Subscriptions alive now (for tests and the admin view). */
  get size(): number {
    return this.subscriptions.size
  }

  /**
   * Runs every matching handler, each on its own: one failing is logged and does not stop the others nor the emitter.
   * Handlers run outside the emitter's delivery, so what they send is their own plugin's, stored on its own.
   * Resolves with the number of handlers that ran, once all have settled.
   */
  async emit(plugin: string, event: string, data: unknown): Promise<number> {
    checkEventName(event, false)
    const targets = [...this.subscriptions].filter((s) => s.pattern === event || s.pattern === `${plugin}:${event}`)
    const meta: PluginEventMeta = { plugin, event }
    await Promise.all(
      targets.map((s) =>
        deliveryScope.exit(async () => {
          // A subscription removed while earlier handlers ran (its plugin unloaded) is skipped.
          if (!this.subscriptions.has(s)) return
          try {
            await s.handler(data, meta)
          } catch (error) {
            this.logger.error({ err: error, plugin: s.subscriber, from: plugin, event }, 'plugin event handler failed')
          }
        }),
      ),
    )
    return targets.length
  }
}
