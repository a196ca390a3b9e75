// What the forge plugins share: reading JSON or form-encoded event bodies, and routing a rendered event to its chats.
import { HookcatError, type Message, type Plugin, type WebhookRequest } from '../../index.js'
import { decide, subscriptionRoutes, type EventFacts, type Routing } from './routing.js'

// A JSON object of a sender's payload: fields are read defensively (str(), oneLine()), never trusted to exist.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>

/** The event body: JSON, or a form with a `payload` field holding JSON (GitHub and Gitea "form" content type). */
export async function readEventBody(req: WebhookRequest): Promise<Json> {
  let value: unknown
  if (req.contentType === 'application/x-www-form-urlencoded') {
    const payload = new URLSearchParams(req.raw.toString('utf8')).get('payload')
    if (payload === null) throw new HookcatError('VALIDATION_FAILED', 'A form-encoded event needs a "payload" field holding the JSON')
    try {
      value = JSON.parse(payload)
    } catch {
      throw new HookcatError('INVALID_JSON', 'The "payload" field is not valid JSON')
    }
  } else value = await req.json()
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new HookcatError('VALIDATION_FAILED', 'The event body must be a JSON object')
  return value as Json
}

export interface ForgeResult {
  status: 'sent' | 'dropped' | 'ignored'
  event: string
  chats?: number
  reason?: string
}

/**
 * Sends the message to every chat the routing picks for the event (the quiet defaults included); the message is made
 * only when some chat gets it. The result is kept as the delivery's answer.
 */
export async function deliver(plugin: Pick<Plugin, 'send' | 'logger' | 'name'>, routing: Routing, facts: EventFacts, message: () => Message): Promise<ForgeResult> {
  const decision = decide(routing, facts)
  // Chats' own subscriptions add chats; the config's routes and their decision stay as they are.
  const subscribed = await subscriptionRoutes(plugin.name)
  if (subscribed.length) {
    const extra = decide({ filters: routing.filters, routes: subscribed }, facts).chats
    decision.chats = [...new Set([...decision.chats, ...extra])]
    if (decision.chats.length) decision.dropped = undefined
  }
  if (decision.chats.length === 0) {
    plugin.logger.debug({ event: facts.event, repository: facts.repository, reason: decision.dropped }, 'event not sent to any chat')
    return { status: 'dropped', event: facts.event, reason: decision.dropped }
  }
  const made = message()
  for (const chat of decision.chats) await plugin.send(chat, made)
  return { status: 'sent', event: facts.event, chats: decision.chats.length }
}

/** Answers the hookcat plugin's question "which config routes name this chat?" (for /hookcat list). */
export function answerRouteQueries(plugin: Pick<Plugin, 'on' | 'name'>, routing: () => Routing): void {
  plugin.on('hookcat:routes.query', (data) => {
    const query = data as { chatKey?: unknown; found?: Array<{ forge: string; target: string; events: string[] }> }
    if (typeof query.chatKey !== 'string' || !Array.isArray(query.found)) return
    const { routes, notificationChat } = routing()
    for (const r of routes) {
      if (r.chats.includes(query.chatKey)) query.found.push({ forge: plugin.name, target: r.repository ?? r.organization ?? '*', events: r.filters?.events ?? [] })
    }
    if (notificationChat === query.chatKey) query.found.push({ forge: plugin.name, target: '*', events: [] })
  })
}
