// The event type of a delivery, for the delivery log: a webhook's own `event` option, else the sender's event header.
import type { IncomingHttpHeaders } from 'node:http'
import type { EventSource, WebhookOptions } from '../plugin/types.js'

/** Headers in which senders name the event, in the order they are looked at. */
const EVENT_HEADERS = ['x-github-event', 'x-gitea-event', 'x-forgejo-event', 'x-gogs-event', 'x-gitlab-event'] as const
const MAX_LENGTH = 100

/** The event, trimmed to a short single line, or null when neither the webhook nor the sender names one. */
export function deliveryEvent(option: WebhookOptions['event'], headers: IncomingHttpHeaders, json: () => unknown, params: Record<string, string>): string | null {
  const header = (name: string): string | undefined => {
    const value = headers[name.toLowerCase()]
    return Array.isArray(value) ? value[0] : value
  }
  let event: unknown
  if (typeof option === 'string') event = option
  else if (typeof option === 'function') {
    const source: EventSource = {
      header,
      json: () => {
        try {
          return json()
        } catch {
          return undefined
        }
      },
      params,
    }
    try {
      event = option(source)
    } catch {
      // A failing event function costs the log its event column, never the delivery.
      event = undefined
    }
  } else for (const name of EVENT_HEADERS) event ??= header(name)
  if (typeof event !== 'string') return null
  const line = event.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, MAX_LENGTH)
  return line === '' ? null : line
}
