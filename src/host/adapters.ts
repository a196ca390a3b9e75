// Creates the adapter instances named in the config (plus the implicit console and web), checking their settings.
import type { HookcatConfig } from '../config/schema.js'
import { ConfigError, describeIssues } from '../config/load.js'
import type { Logger } from '../util/logger.js'
import type { Storage } from '../storage/types.js'
import type { HostEvents } from './events.js'
import type { AdapterFactory, AdapterInstance, AdapterStatus } from './outbox/adapter.js'
import { secretValues } from './plugin/secret.js'
import { withMentions } from './mentions.js'

export interface AdapterSet {
  instances: Map<string, AdapterInstance>
  secrets: string[]
  /** With `tolerate`: the problems of instances left out instead of stopping (a read-only command's missing secrets). */
  skipped: string[]
}

export function createAdapters(
  config: HookcatConfig,
  factories: AdapterFactory[],
  deps: { logger: Logger; storage: Storage; events: HostEvents; dataDir: string; tolerate?: boolean },
): AdapterSet {
  const byType = new Map(factories.map((f) => [f.type, f]))
  const instances = new Map<string, AdapterInstance>()
  const problems: string[] = []
  const secrets: string[] = []
  const entries: Array<[string, Record<string, unknown>]> = Object.entries(config.adapters) as Array<[string, Record<string, unknown>]>
  for (const implicit of ['console', 'web']) if (!(implicit in config.adapters) && byType.has(implicit)) entries.push([implicit, { type: implicit }])
  for (const [name, raw] of entries) {
    const type = (raw.type as string | undefined) ?? name
    const factory = byType.get(type)
    if (!factory) {
      problems.push(`adapters.${name}.type: unknown adapter type "${type}" (known: ${[...byType.keys()].join(', ')})`)
      continue
    }
    const parsed = factory.config.safeParse(raw)
    if (!parsed.success) {
      problems.push(...describeIssues(parsed.error, ['adapters', name]))
      continue
    }
    secrets.push(...secretValues(factory.config, parsed.data))
    const instance = factory.create(parsed.data, { name, logger: deps.logger.child({ adapter: name }), storage: deps.storage, events: deps.events, dataDir: deps.dataDir })
    instances.set(name, withMentions(instance, config.people, name, type))
  }
  if (problems.length && !deps.tolerate) throw new ConfigError('Invalid adapter configuration:', problems)
  return { instances, secrets, skipped: deps.tolerate ? problems : [] }
}

/** Connection state of the adapters that keep a live link, by instance name. */
export function linkStates(adapters: Map<string, AdapterInstance>): Record<string, AdapterStatus> {
  return Object.fromEntries(
    [...adapters.values()].flatMap((a) => {
      const state = a.status?.()
      return state ? [[a.name, state]] : []
    }),
  )
}

/** Closes every adapter instance; one that fails to close does not keep the others open. */
export async function closeAdapters(adapters: Map<string, AdapterInstance>): Promise<void> {
  for (const adapter of adapters.values()) await adapter.close?.().catch(() => undefined)
}
