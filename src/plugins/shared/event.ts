// The delivery-log event of senders without an event header: a top-level field of their JSON body (status, level).
import type { EventSource } from '../../index.js'

/** An `event` option that reads a top-level string field of the body: alerts' "firing"/"resolved", a monitor's level. */
export function eventFromField(field: string): (source: EventSource) => string | undefined {
  return (source) => {
    const body = source.json()
    const value = body && typeof body === 'object' ? (body as Record<string, unknown>)[field] : undefined
    return typeof value === 'string' ? value : undefined
  }
}
