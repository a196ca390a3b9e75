// Input checks of the admin API: zod-validated query and JSON bodies, with per-field errors.
import type { Context } from 'hono'
import { z } from 'zod'
import { HookcatError } from '../util/errors.js'

/** zod issues as { 'a.b': 'message' }, the first message per field ('' is the input as a whole). */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.')
    if (!(key in fields)) fields[key] = issue.message
  }
  return fields
}

export function validationError(fields: Record<string, string>, message = 'The input failed validation'): HookcatError {
  return new HookcatError('VALIDATION_FAILED', message, { details: { fields } })
}

export function parseWith<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input)
  if (!parsed.success) throw validationError(fieldErrors(parsed.error))
  return parsed.data
}

export function query<T extends z.ZodType>(c: Context, schema: T): z.output<T> {
  return parseWith(schema, c.req.query())
}

/** The JSON body; a missing or malformed one is a 400 that says so. */
export async function jsonBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.output<T>> {
  const text = await c.req.text()
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new HookcatError('INVALID_JSON', text.trim() === '' ? 'A JSON body is required' : undefined)
  }
  return parseWith(schema, value)
}

/** Query numbers arrive as text; empty means absent. */
export const intParam = (min: number, max: number) =>
  z.preprocess((v) => (v === '' || v === undefined ? undefined : Number(v)), z.number().int().min(min).max(max).optional())

/** A time as epoch milliseconds or an ISO 8601 date. */
export const timeParam = z.preprocess((v) => {
  if (v === '' || v === undefined) return undefined
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v)
  const parsed = Date.parse(String(v))
  return Number.isNaN(parsed) ? v : parsed
}, z.number({ error: 'must be epoch milliseconds or an ISO 8601 date' }).int().min(0).optional())

export const ROOM = /^[A-Za-z0-9_.@:-]{1,128}$/
