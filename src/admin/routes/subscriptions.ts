// Admin route for two-way chat: the subscriptions chats made themselves (/hookcat subscribe), the chat commands, adapter links.
import type { AdminApp } from '../app.js'
import { listSubscriptions } from '../../plugins/shared/subscriptions.js'

export function subscriptionRoutes(app: AdminApp): void {
  app.get('/subscriptions', async (c) => {
    const host = c.var.host
    return c.json({ subscriptions: await listSubscriptions(), commands: host.chat?.list() ?? [], adapters: host.adapterStates() })
  })
}
