// Config overrides from the admin UI: only changed fields, by dot path, on top of hookcat.yaml; secrets encrypted or referenced.
import { isDeepStrictEqual } from 'node:util'
import type { z } from 'zod'
import type { ConfigKey } from './config-key.js'
import { secretPaths } from './secret.js'

type Json = Record<string, unknown>

/**
 * Stored overrides of one plugin: dot path → value. A value may hold markers: { $unset: true } removes the field,
 * { $enc } is a secret entered in the UI (AES-256-GCM), { $file: true } (inside lists) is the secret hookcat.yaml
 * has at the same place — file and environment secrets are referenced, never copied.
 */
export type Overrides = Record<string, unknown>

/** Where overrides are kept: one kv row of the host per plugin. */
export const CONFIG_OVERRIDES = { plugin: 'hookcat', scope: 'config-overrides' } as const

export const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v)
const marker = (v: unknown, name: '$unset' | '$enc' | '$file'): boolean => isObject(v) && name in v && Object.keys(v).length === 1
/** Objects are compared field by field unless a key holds a dot (a map keyed by names like "example.com"). */
const descend = (v: unknown): v is Json => isObject(v) && !Object.keys(v).some((k) => k.includes('.'))

const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T))

export function getPath(config: unknown, path: string): unknown {
  let current = config
  for (const key of path.split('.')) current = isObject(current) ? current[key] : undefined
  return current
}

function setPath(config: Json, path: string, value: unknown): void {
  const keys = path.split('.')
  let target = config
  for (const key of keys.slice(0, -1)) {
    if (!isObject(target[key])) target[key] = {}
    target = target[key] as Json
  }
  const last = keys[keys.length - 1]
  if (value === undefined) delete target[last]
  else target[last] = value
}

/** The dot paths where `next` differs from `file`; fields only the file has count when `unsetMissing`. */
export function changedPaths(next: unknown, file: unknown, unsetMissing = true, prefix = ''): string[] {
  if (descend(next) && (descend(file) || file === undefined)) {
    const keys = new Set([...Object.keys(next), ...(unsetMissing && isObject(file) ? Object.keys(file) : [])])
    return [...keys].flatMap((k) => changedPaths(next[k], isObject(file) ? file[k] : undefined, unsetMissing, prefix ? `${prefix}.${k}` : k))
  }
  if (next === undefined && !unsetMissing) return []
  return isDeepStrictEqual(next, file) ? [] : [prefix]
}

/** Secret paths of the schema below `path`, as the parts left ("[]" for each list item); [] when `path` itself is secret. */
function secretsBelow(schema: z.ZodType | undefined, path: string): string[][] {
  const own = path.split('.')
  return secretPaths(schema)
    .filter(Boolean)
    .map((s) => s.split('.').flatMap((p) => (p.endsWith('[]') ? [p.slice(0, -2), '[]'] : [p])))
    .filter((parts) => own.every((p, i) => parts[i] === p))
    .map((parts) => parts.slice(own.length))
}

/** Replaces each secret in `value` by a reference to the file's (when equal) or its encryption. */
function sealSecrets(value: unknown, file: unknown, parts: string[], key: ConfigKey): unknown {
  if (value === undefined || value === null) return value
  if (parts.length === 0) return isDeepStrictEqual(value, file) ? { $file: true } : { $enc: key.encrypt(value) }
  const [head, ...rest] = parts
  if (head === '[]') return Array.isArray(value) ? value.map((item, i) => sealSecrets(item, Array.isArray(file) ? file[i] : undefined, rest, key)) : value
  if (!isObject(value) || !(head in value)) return value
  return { ...value, [head]: sealSecrets(value[head], isObject(file) ? file[head] : undefined, rest, key) }
}

/** The overrides that turn the file's config into `next`: only what differs, secrets never in plain text. */
export function overridesFor(schema: z.ZodType | undefined, next: Json, file: Json, key: ConfigKey, unsetMissing = true): Overrides {
  const out: Overrides = {}
  for (const path of changedPaths(next, file, unsetMissing)) {
    const value = getPath(next, path)
    if (value === undefined) {
      out[path] = { $unset: true }
      continue
    }
    let sealed: unknown = clone(value)
    for (const parts of secretsBelow(schema, path)) sealed = sealSecrets(sealed, getPath(file, path), parts, key)
    out[path] = sealed
  }
  return out
}

/** A stored value back in plain form: markers resolved against the file's value at the same place. */
function open(value: unknown, file: unknown, key: ConfigKey): unknown {
  if (marker(value, '$unset')) return undefined
  if (marker(value, '$file')) return clone(file)
  if (marker(value, '$enc')) return key.decrypt(String((value as Json).$enc))
  if (Array.isArray(value)) return value.map((item, i) => open(item, Array.isArray(file) ? file[i] : undefined, key))
  if (isObject(value)) {
    const out: Json = {}
    for (const [k, v] of Object.entries(value)) {
      const opened = open(v, isObject(file) ? file[k] : undefined, key)
      if (opened !== undefined) out[k] = opened
    }
    return out
  }
  return value
}

/** The file's config with the overrides on top; an override that cannot be read (key missing) is left out and reported. */
export function applyOverrides(file: Json, overrides: Overrides, key: ConfigKey): { config: Json; problems: string[] } {
  const config = clone(file) ?? {}
  const problems: string[] = []
  for (const [path, stored] of Object.entries(overrides)) {
    try {
      setPath(config, path, open(stored, getPath(file, path), key))
    } catch (error) {
      problems.push(`${path}: ${(error as Error).message}`)
    }
  }
  return { config, problems }
}

/** The overrides without the given fields (a field also removes the paths below it); all of them when none is given. */
export function withoutFields(overrides: Overrides, fields: string[]): Overrides {
  if (fields.length === 0) return {}
  return Object.fromEntries(Object.entries(overrides).filter(([path]) => !fields.some((f) => path === f || path.startsWith(`${f}.`))))
}
