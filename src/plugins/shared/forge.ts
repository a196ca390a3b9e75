// What the forge plugins share: reading JSON or form-encoded event bodies, and routing a rendered event to its chats.
import { HookcatError, reply, type Message, type Plugin, type WebhookRequest } from '../../index.js'
import { decide, subscriptionRoutes, type EventFacts, type Routing } from './routing.js'
import type { CompiledTemplate, Templates } from './template.js'

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

/** What a forge template sees: the event, its payload, the language and the facts the router uses. */
export function forgeScope(facts: EventFacts, payload: Json, locale: string): Record<string, unknown> {
  const { event, ...rest } = facts
  return { ...rest, event, payload, locale }
}

export interface Templating {
  templates: Templates
  payload: Json
  locale: string
}

/**
 * Sends the message to every chat the routing picks for the event (the quiet defaults included); the message is made
 * only when some chat gets it, once per template (a route's own, else the plugin's). The result is kept as the
 * delivery's answer.
 */
export async function deliver(plugin: Pick<Plugin, 'sendAll' | 'logger' | 'name'>, routing: Routing, facts: EventFacts, message: () => Message, templating?: Templating): Promise<ForgeResult> {
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
    // Marked so that the delivery log shows it as filtered or ignored, with the reason, not as delivered.
    return reply[decision.outcome ?? 'filtered'](decision.dropped ?? 'filtered out', { status: 'dropped' as const, event: facts.event })
  }
  const built = message()
  // Chats that share a template (and the route's @all) share one message; each chat's copy succeeds or dead-letters on
  // its own (sendAll).
  const all = new Set(decision.mentionAll)
  const groups = new Map<string, { template: CompiledTemplate | undefined; mentionAll: boolean; chats: string[] }>()
  for (const chat of decision.chats) {
    const template = templating?.templates.for(decision.routeOf?.get(chat))
    const mentionAll = all.has(chat)
    const key = `${templating ? String(decision.routeOf?.get(chat) ?? '-') : '-'}:${mentionAll}`
    const group = groups.get(key) ?? { template, mentionAll, chats: [] }
    group.chats.push(chat)
    groups.set(key, group)
  }
  let sent = 0
  for (const { template, mentionAll, chats } of groups.values()) {
    const made = templating ? await templating.templates.message(template, () => forgeScope(facts, templating.payload, templating.locale), built) : built
    if (!made) continue
    await plugin.sendAll(chats, mentionAll ? { ...made, mentionAll: true } : made)
    sent += chats.length
  }
  if (sent === 0) return reply.filtered('the template rendered nothing for this event', { status: 'dropped' as const, event: facts.event })
  return { status: 'sent', event: facts.event, chats: sent }
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
