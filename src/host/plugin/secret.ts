// Marking config fields secret, and finding secret values in a config so that they are never shown.
import { z } from 'zod'

/** Registry of schemas marked secret; kept apart from titles and descriptions so that JSON Schema output stays clean. */
export const secretFields = z.registry<{ secret: true }>()

/** Marks a config field as a secret: write-only in the UI, redacted in logs and API answers. */
export function secret<T extends z.ZodType>(schema: T): T {
  secretFields.add(schema, { secret: true })
  return schema
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current: z.ZodType = schema
  for (let i = 0; i < 10; i++) {
    if (isMarked(current)) return current
    const def = (current as unknown as { _zod: { def: { type: string; innerType?: z.ZodType; in?: z.ZodType } } })._zod.def
    if ((def.type === 'optional' || def.type === 'default' || def.type === 'nullable' || def.type === 'prefault' || def.type === 'readonly') && def.innerType) {
      current = def.innerType
    } else if (def.type === 'pipe' && def.in) current = def.in
    else return current
  }
  return current
}

/** get() rather than has(): get() follows clones made by .describe()/.meta() back to the schema secret() marked. */
function isMarked(schema: z.ZodType): boolean {
  return secretFields.get(schema) !== undefined
}

export function isSecretSchema(schema: z.ZodType): boolean {
  if (isMarked(schema)) return true
  return isMarked(unwrap(schema))
}

/** Dot paths of the secret fields of an object schema (nested objects and arrays of objects included). */
export function secretPaths(schema: z.ZodType | undefined, prefix = ''): string[] {
  if (!schema) return []
  if (isSecretSchema(schema)) return [prefix]
  const inner = unwrap(schema)
  const def = (inner as unknown as { _zod: { def: { type: string; shape?: Record<string, z.ZodType>; element?: z.ZodType } } })._zod.def
  if (def.type === 'object' && def.shape) {
    return Object.entries(def.shape).flatMap(([key, field]) => secretPaths(field, prefix ? `${prefix}.${key}` : key))
  }
  if (def.type === 'array' && def.element) return secretPaths(def.element, `${prefix}[]`)
  return []
}

/** Every secret string in a config, for scrubbing text as a last line of defence. */
export function secretValues(schema: z.ZodType | undefined, config: unknown): string[] {
  const out: string[] = []
  const visit = (value: unknown, parts: string[]): void => {
    if (value === undefined || value === null) return
    if (parts.length === 0) {
      if (typeof value === 'string') out.push(value)
      else if (Array.isArray(value)) value.forEach((v) => typeof v === 'string' && out.push(v))
      return
    }
    const [head, ...rest] = parts
    if (head.endsWith('[]')) {
      const list = head === '[]' ? value : (value as Record<string, unknown>)[head.slice(0, -2)]
      if (Array.isArray(list)) list.forEach((item) => visit(item, rest))
      return
    }
    visit((value as Record<string, unknown>)[head], rest)
  }
  for (const path of secretPaths(schema)) visit(config, path.split('.').filter((p) => p !== ''))
  return out
}

/** A copy of the config with each secret replaced by whether it is set: safe to show. */
export function maskConfig(schema: z.ZodType | undefined, config: Record<string, unknown>): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(config ?? {})) as Record<string, unknown>
  const mask = (target: unknown, parts: string[]): void => {
    if (!target || typeof target !== 'object') return
    const [head, ...rest] = parts
    if (head.endsWith('[]')) {
      const list = head === '[]' ? target : (target as Record<string, unknown>)[head.slice(0, -2)]
      if (Array.isArray(list)) list.forEach((item) => mask(item, rest))
      return
    }
    const record = target as Record<string, unknown>
    if (rest.length === 0) {
      if (head in record) record[head] = record[head] === undefined || record[head] === '' ? { secret: true, set: false } : { secret: true, set: true }
      return
    }
    mask(record[head], rest)
  }
  for (const path of secretPaths(schema)) mask(copy, path.split('.'))
  return copy
}
