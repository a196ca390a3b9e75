// Plugin configs in the admin API: masked reads, JSON Schema with write-only secrets, and saving with kept secrets.
import { z } from 'zod'
import type { Host } from '../host/host.js'
import { SAVED_CONFIG } from '../host/plugin/registry.js'
import { isSecretSchema, maskConfig, secretPaths } from '../host/plugin/secret.js'
import { HookcatError } from '../util/errors.js'
import { fieldErrors, validationError } from './validate.js'

type Json = Record<string, unknown>

/** The config's JSON Schema (input side, so defaults and optional fields show); secret fields are writeOnly, never with a default. */
export function configJsonSchema(schema: z.ZodType | undefined): Json | null {
  if (!schema) return null
  try {
    return z.toJSONSchema(schema, {
      io: 'input',
      unrepresentable: 'any',
      override: (ctx) => {
        if (!isSecretSchema(ctx.zodSchema as unknown as z.ZodType)) return
        const json = ctx.jsonSchema as Json
        json.writeOnly = true
        delete json.default
        delete json.examples
      },
    }) as Json
  } catch {
    return null
  }
}

export async function configView(host: Host, name: string) {
  const entry = host.registry.get(name)
  const schema = entry.definition.config
  const saved = await host.storage.kvGet(SAVED_CONFIG.plugin, SAVED_CONFIG.scope, name)
  return {
    plugin: name,
    source: saved === undefined ? ('file' as const) : ('admin' as const),
    config: maskConfig(schema, host.registry.settings(name).config),
    schema: configJsonSchema(schema),
    secretFields: secretPaths(schema),
  }
}

const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v)
const isMarker = (v: unknown): v is { secret: true; set: boolean } => isObject(v) && v.secret === true && typeof v.set === 'boolean'

/**
 * Secret fields left out, or sent back as the `{secret:true,set:true}` mask, keep their current value;
 * `{secret:true,set:false}` clears one. Array items are matched by position.
 */
export function keepSecrets(schema: z.ZodType | undefined, next: Json, current: Json): Json {
  const out = JSON.parse(JSON.stringify(next)) as Json
  const apply = (target: unknown, old: unknown, parts: string[]): void => {
    if (!isObject(target)) return
    const [head, ...rest] = parts
    if (head.endsWith('[]')) {
      const key = head.slice(0, -2)
      const list = target[key]
      const before = isObject(old) ? old[key] : undefined
      if (Array.isArray(list)) list.forEach((item, i) => apply(item, Array.isArray(before) ? before[i] : undefined, rest))
      return
    }
    if (rest.length > 0) return apply(target[head], isObject(old) ? old[head] : undefined, rest)
    const value = target[head]
    const previous = isObject(old) ? old[head] : undefined
    if (value === undefined || (isMarker(value) && value.set)) {
      if (previous === undefined || isMarker(previous)) delete target[head]
      else target[head] = previous
    } else if (isMarker(value)) delete target[head]
  }
  for (const path of secretPaths(schema)) if (path) apply(out, current, path.split('.'))
  return out
}

/** Validates a new config, saves it durably and reloads the plugin with it; throws VALIDATION_FAILED per field. */
export async function saveConfig(host: Host, name: string, input: Json) {
  const entry = host.registry.get(name)
  const schema = entry.definition.config
  if (!schema) throw new HookcatError('BAD_REQUEST', `Plugin "${name}" has no config`)
  const merged = keepSecrets(schema, input, host.registry.settings(name).config)
  const parsed = schema.safeParse(merged)
  if (!parsed.success) throw validationError(fieldErrors(parsed.error), `The config of "${name}" is invalid`)
  await host.storage.write([{ op: 'kv.set', plugin: SAVED_CONFIG.plugin, scope: SAVED_CONFIG.scope, key: name, value: JSON.stringify(merged) }])
  host.registry.useSavedConfig(name, merged)
  try {
    await host.registry.reload(name)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    throw new HookcatError('PLUGIN_LOAD_FAILED', `The config was saved, but the plugin failed to load with it: ${message}`, { status: 500, details: { saved: true } })
  }
  return configView(host, name)
}
