// The ordering key of an async delivery: chosen by its route at ack time from the request head, never from the body.
import { createHash } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'

/** What an ordering key may be made of: the request head, known before the 202 without reading the body as JSON. */
export interface OrderingHead {
  headers: IncomingHttpHeaders
  params: Record<string, string>
}

/**
 * How a route orders its async deliveries. Deliveries with the same key run their first attempt one at a time, in the
 * order they were acknowledged, on one process and across a cluster, so their messages reach each chat in that order.
 * - `'route'` (default): every delivery of the route is one line;
 * - `{ headers: [...] }`: the values of these request headers (e.g. the sender's hook or repository id); a request
 *   with none of them falls back to the route;
 * - a function of the request head answering the key (undefined: the route);
 * - `false`: no order; deliveries run concurrently.
 */
export type OrderingKeyOption = false | 'route' | { headers: string[] } | ((head: OrderingHead) => string | undefined | null)

/** Longer keys are stored as their hash. */
const MAX_KEY = 200
/** Separates the parts of a key; ordering keys always hold one (the work queue tells them from plugin names by it). */
export const KEY_SEPARATOR = '\u001f'

export function orderingKeyOf(plugin: string, route: string, option: OrderingKeyOption | undefined, head: OrderingHead): string | null {
  if (option === false) return null
  let value: string | undefined | null
  if (typeof option === 'function') value = option(head)
  else if (option && option !== 'route') {
    const parts = option.headers.map((name) => first(head.headers[name.toLowerCase()]))
    value = parts.some((p) => p) ? parts.join(KEY_SEPARATOR) : undefined
  }
  const key = value ? `${plugin}${KEY_SEPARATOR}${route}${KEY_SEPARATOR}${value}` : `${plugin}${KEY_SEPARATOR}${route}`
  return key.length <= MAX_KEY ? key : `${plugin}${KEY_SEPARATOR}${createHash('sha256').update(key).digest('hex')}`
}

/** True for a work-queue kind that is an ordering key (plugin names hold no separator). */
export function isOrderingKey(kind: string): boolean {
  return kind.includes(KEY_SEPARATOR)
}

function first(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? ''
}
