// Checks of a plugin's config beyond its schema: keys the schema does not know, and chat_keys (fields marked chatKey())
// that name no configured adapter or a channel the adapter cannot take. Each problem names its path.
import { z } from 'zod'
import { formatPath } from '../../config/load.js'

/** Registry of schemas marked as chat_keys (a string, or a list of them). */
export const chatKeyFields = z.registry<{ chatKey: true }>()

/** Marks a config field as a chat_key (or a list of chat_keys): checked against the configured adapters at start-up. */
export function chatKey<T extends z.ZodType>(schema: T): T {
  chatKeyFields.add(schema, { chatKey: true })
  return schema
}

interface Def {
  type: string
  innerType?: z.ZodType
  in?: z.ZodType
  shape?: Record<string, z.ZodType>
  catchall?: z.ZodType
  element?: z.ZodType
  valueType?: z.ZodType
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def
const WRAPPERS = new Set(['optional', 'default', 'nullable', 'prefault', 'readonly', 'catch', 'nonoptional'])

export type ChatKeyCheck = (chatKey: string) => string | undefined

/** "path: what is wrong"; kind says whether a key is unknown or a chat_key cannot be delivered to. */
export interface ConfigProblem {
  kind: 'unknown-key' | 'chat-key'
  text: string
}

/**
 * Problems of a config that its schema accepted: "path: what is wrong". Unknown keys are refused in every object the
 * schema declares (a misspelt key would otherwise be dropped silently); loose objects (z.looseObject) keep theirs.
 */
export function configProblems(schema: z.ZodType | undefined, value: unknown, prefix: string, checkChat: ChatKeyCheck): ConfigProblem[] {
  const problems: ConfigProblem[] = []
  const visit = (node: z.ZodType, v: unknown, path: Array<string | number>, marked: boolean): void => {
    if (v === undefined || v === null) return
    const isChat = marked || chatKeyFields.get(node) !== undefined
    const def = defOf(node)
    if (WRAPPERS.has(def.type) && def.innerType) return visit(def.innerType, v, path, isChat)
    if (def.type === 'pipe' && def.in) return visit(def.in, v, path, isChat)
    if (isChat && typeof v === 'string') {
      const problem = checkChat(v)
      if (problem) problems.push({ kind: 'chat-key', text: `${formatPath(prefix, path)}: ${problem}` })
      return
    }
    if (def.type === 'array' && def.element && Array.isArray(v)) {
      v.forEach((item, i) => visit(def.element!, item, [...path, i], isChat))
      return
    }
    if (def.type === 'record' && def.valueType && typeof v === 'object') {
      for (const [key, item] of Object.entries(v as Record<string, unknown>)) visit(def.valueType, item, [...path, key], isChat)
      return
    }
    if (def.type === 'object' && def.shape && typeof v === 'object' && !Array.isArray(v)) {
      const known = Object.keys(def.shape)
      for (const [key, item] of Object.entries(v as Record<string, unknown>)) {
        const field = def.shape[key]
        if (field) visit(field, item, [...path, key], false)
        else if (def.catchall === undefined) {
          problems.push({ kind: 'unknown-key', text: `${formatPath(prefix, [...path, key])}: unknown key${suggest(key, known)} (known: ${known.join(', ') || 'none'})` })
        }
      }
    }
  }
  if (schema) visit(schema, value, [], false)
  return problems
}

/** ' — did you mean "notificationChat"?' for a near miss. */
function suggest(key: string, known: string[]): string {
  const lower = key.toLowerCase()
  const close = known.find((k) => distance(k.toLowerCase(), lower) <= Math.max(1, Math.floor(k.length / 5)))
  return close ? ` — did you mean "${close}"?` : ''
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1))
      previous = current
    }
  }
  return row[b.length]
}
