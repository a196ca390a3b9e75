// The internal route inbound chat messages are stored under: plugin "hookcat", never reachable over HTTP, run by the inbox.
import { z } from 'zod'
import { HookcatError } from '../../util/errors.js'
import type { WebhookRoute } from '../ingress/routes.js'
import type { AdapterLink } from '../outbox/adapter.js'
import type { UpgradeRouter } from '../upgrades.js'
import type { ChatRegistry } from './registry.js'
import type { InboundMessage } from './types.js'

export const CHAT_PLUGIN = 'hookcat'
export const CHAT_PATH = '/chat/inbound'

const short = z.string().min(1).max(200)
export const inboundSchema = z.object({
  adapter: short,
  chatKey: short,
  messageId: short,
  selfId: short.optional(),
  text: z.string().max(20_000),
  sender: z.object({ id: short, name: z.string().max(200).optional(), role: z.enum(['owner', 'admin', 'member']), operator: z.boolean().optional() }),
  time: z.number().optional(),
  locale: z.string().max(10).optional(),
  canQuote: z.boolean().optional(),
})

export function chatRoute(registry: ChatRegistry): WebhookRoute {
  return {
    plugin: CHAT_PLUGIN,
    path: CHAT_PATH,
    methods: new Set(['POST']),
    allow: 'POST',
    options: { mode: 'async', description: 'inbound chat messages (internal)' },
    async handler(request) {
      const parsed = inboundSchema.safeParse(await request.json().catch(() => undefined))
      if (!parsed.success) throw new HookcatError('VALIDATION_FAILED', 'not an inbound chat message')
      return registry.dispatch(parsed.data as InboundMessage, request.attempt)
    },
  }
}

/** What adapters that receive messages get: the durable inbox (as this internal async route) and the HTTP server. */
export function adapterLink(deps: {
  inject: (input: { plugin: string; path: string; body: Buffer; dedupKey: string; client: string }) => Promise<{ id: string; duplicate: boolean }>
  upgrades: UpgradeRouter
  mount: AdapterLink['mount']
  publicUrl: () => string
}): AdapterLink {
  return {
    receive: (message, dedupKey) =>
      deps.inject({ plugin: CHAT_PLUGIN, path: CHAT_PATH, body: Buffer.from(JSON.stringify(message)), dedupKey: `${message.adapter}:${dedupKey}`, client: message.adapter }),
    onUpgrade: (path, handler) => deps.upgrades.add(path, handler),
    mount: deps.mount,
    publicUrl: deps.publicUrl,
  }
}
