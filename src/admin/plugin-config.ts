// Plugin configs in the admin API: masked reads, JSON Schema with write-only secrets, overrides saved and reverted.
import { z } from 'zod'
import type { Host } from '../host/host.js'
import { CONFIG_OVERRIDES, isObject, overridesFor, withoutFields, type Overrides } from '../host/plugin/overrides.js'
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
  const overridden = Object.keys(host.registry.overridesOf(name))
  return {
    plugin: name,
    source: overridden.length ? ('admin' as const) : ('file' as const),
    config: maskConfig(schema, host.registry.settings(name).config),
    /** hookcat.yaml's values (secrets masked), to show what a revert returns to. */
    fileConfig: maskConfig(schema, host.registry.fileSettings(name).config),
    overridden,
    schema: configJsonSchema(schema),
    secretFields: secretPaths(schema),
  }
}

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

/** The input's fields on top of the current config: objects merge field by field, null removes a field, the rest replaces. */
function mergeInput(current: Json, input: Json): Json {
  const out: Json = { ...current }
  for (const [key, value] of Object.entries(input)) {
    if (value === null) delete out[key]
    else if (isObject(value) && !isMarker(value) && isObject(current[key])) out[key] = mergeInput(current[key] as Json, value)
    else out[key] = value
  }
  return out
}

async function storeOverrides(host: Host, name: string, overrides: Overrides) {
  const where = { plugin: CONFIG_OVERRIDES.plugin, scope: CONFIG_OVERRIDES.scope, key: name }
  await host.storage.write([Object.keys(overrides).length ? { op: 'kv.set', ...where, value: JSON.stringify(overrides) } : { op: 'kv.delete', ...where }])
  host.registry.useOverrides(name, overrides)
  try {
    await host.registry.reload(name)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    throw new HookcatError('PLUGIN_LOAD_FAILED', `The config was saved, but the plugin failed to load with it: ${message}`, { status: 500, details: { saved: true } })
  }
  return configView(host, name)
}

/**
 * Sets the fields given (others keep their value), validates the result, and stores only the fields that then differ
 * from hookcat.yaml as overrides; secrets typed in are encrypted, ones equal to the file's are never stored.
 */
export async function saveConfig(host: Host, name: string, input: Json) {
  const entry = host.registry.get(name)
  const schema = entry.definition.config
  if (!schema) throw new HookcatError('BAD_REQUEST', `Plugin "${name}" has no config`)
  const current = host.registry.settings(name).config
  const merged = keepSecrets(schema, mergeInput(current, input), current)
  const parsed = schema.safeParse(merged)
  if (!parsed.success) throw validationError(fieldErrors(parsed.error), `The config of "${name}" is invalid`)
  return storeOverrides(host, name, overridesFor(schema, merged, host.registry.fileSettings(name).config, host.registry.configKey))
}

/** Removes overrides (the given fields and what is below them, or all), so that hookcat.yaml applies again. */
export async function revertConfig(host: Host, name: string, fields: string[]) {
  host.registry.get(name)
  const overrides = host.registry.overridesOf(name)
  const unknown = fields.filter((f) => !Object.keys(overrides).some((p) => p === f || p.startsWith(`${f}.`)))
  if (unknown.length) throw validationError(Object.fromEntries(unknown.map((f) => [f, 'is not overridden'])), `Not overridden: ${unknown.join(', ')}`)
  return storeOverrides(host, name, withoutFields(overrides, fields))
}
