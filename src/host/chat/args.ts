// Chat command arguments: words parsed by the command's zod object schema (keys in order), and a usage line made from it.
import { z } from 'zod'

function unwrap(schema: z.ZodType): { inner: z.ZodType; optional: boolean } {
  let inner = schema
  let optional = false
  for (let i = 0; i < 8; i++) {
    if (inner instanceof z.ZodOptional || inner instanceof z.ZodDefault) {
      optional = true
      inner = inner.unwrap() as z.ZodType
    } else break
  }
  return { inner, optional }
}

function placeholder(key: string, schema: z.ZodType): string {
  const { inner, optional } = unwrap(schema)
  let name = key
  if (inner instanceof z.ZodEnum) name = (inner.options as string[]).join('|')
  if (inner instanceof z.ZodArray) name = `${key}…`
  return optional || inner instanceof z.ZodArray ? `[${name}]` : `<${name}>`
}

export function usageOf(name: string, schema: z.ZodObject | undefined): string {
  const parts = schema ? Object.entries(schema.shape).map(([key, s]) => placeholder(key, s as z.ZodType)) : []
  return [`/${name}`, ...parts].join(' ')
}

export type ParsedArgs = { ok: true; value: unknown } | { ok: false; problem: string }

/** Splits at white space; "quoted words" stay one word. */
export function words(text: string): string[] {
  return [...text.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]).slice(0, 64)
}

export function parseArgs(schema: z.ZodObject | undefined, given: string[]): ParsedArgs {
  if (!schema) return given.length ? { ok: false, problem: 'this command takes no arguments' } : { ok: true, value: {} }
  const entries = Object.entries(schema.shape)
  const input: Record<string, unknown> = {}
  let i = 0
  for (const [key, s] of entries) {
    if (unwrap(s as z.ZodType).inner instanceof z.ZodArray) {
      input[key] = given.slice(i)
      i = given.length
    } else if (i < given.length) input[key] = given[i++]
  }
  if (i < given.length) return { ok: false, problem: `too many arguments (${given.length - i} extra)` }
  const parsed = schema.safeParse(input)
  if (parsed.success) return { ok: true, value: parsed.data }
  const issue = parsed.error.issues[0]
  return { ok: false, problem: `${issue.path.join('.') || 'arguments'}: ${issue.message}` }
}
