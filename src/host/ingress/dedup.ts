// Finds the sender's delivery id, used with a unique constraint so that a redelivered event runs once.
import type { IncomingHttpHeaders } from 'node:http'
import { HookcatError } from '../../util/errors.js'
import { MAX_DELIVERY_ID } from '../verify/types.js'
import type { DedupOptions } from '../plugin/types.js'

/** Headers in which well-known senders carry a delivery id that stays the same across their retries. */
export const WELL_KNOWN_DELIVERY_HEADERS = [
  'x-github-delivery',
  'x-gitea-delivery',
  'x-forgejo-delivery',
  'idempotency-key',
  'x-gitlab-event-uuid',
  'webhook-id',
  'svix-id',
] as const


function clean(value: unknown): string | undefined {
  if (typeof value === 'number') value = String(value)
  if (typeof value !== 'string') return undefined
  const trimmed = value.trim()
  if (trimmed.length === 0) return undefined
  // Refused, never ignored: dropping the id would silently turn dedup off, and a signed replay would run twice.
  if (trimmed.length > MAX_DELIVERY_ID) throw new HookcatError('DELIVERY_ID_TOO_LONG', `The delivery id is ${trimmed.length} characters long; at most ${MAX_DELIVERY_ID} are accepted`)
  return trimmed
}

/** A field of the parsed body by dot path ("id", "event.id"). */
function field(value: unknown, path: string): unknown {
  for (const part of path.split('.')) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined
    value = (value as Record<string, unknown>)[part]
  }
  return value
}

/**
 * The delivery id for dedup, or undefined when the request carries none (then every request is new). `trusted` is
 * false for a request that did not pass verification: an id it carries is not the sender's and counts for nothing.
 * An id longer than MAX_DELIVERY_ID is a 400.
 */
export function findDedupKey(
  headers: IncomingHttpHeaders,
  options: DedupOptions | false | undefined,
  fromVerifier: string | undefined,
  body: () => unknown,
  trusted = true,
): string | undefined {
  if (options === false || !trusted) return undefined
  // What the plugin names wins over what the verifier found; either missing falls through to the next source.
  if (options?.header) {
    const value = headers[options.header.toLowerCase()]
    const key = clean(Array.isArray(value) ? value[0] : value)
    if (key) return key
  }
  if (options?.jsonField) {
    const key = clean(field(body(), options.jsonField))
    if (key) return key
  }
  if (fromVerifier) return clean(fromVerifier)
  for (const name of WELL_KNOWN_DELIVERY_HEADERS) {
    const value = headers[name]
    if (value !== undefined) return clean(Array.isArray(value) ? value[0] : value)
  }
  return undefined
}
