// Admin routes for live lists and numbers: the SSE feed of delivery and message events, tickets for it, and stats.
import type { HostEventMap } from '../../host/events.js'
import { z } from 'zod'
import { TICKET_ROUTES, type AdminApp } from '../app.js'
import { jsonBody } from '../validate.js'
import { knownSecrets } from '../scrub.js'
import { openStream } from '../sse.js'
import { collectStats } from '../stats.js'

const ticketBody = z.object({
  stream: z.string().max(200).refine((s) => TICKET_ROUTES.test(s), 'must be "/events" or "/web/rooms/<room>/stream"'),
}).strict()

export function liveRoutes(app: AdminApp): void {
  // A ticket opens the one stream it names, once: { "stream": "/events" } or { "stream": "/web/rooms/<room>/stream" }.
  app.post('/tickets', async (c) => {
    const { stream } = await jsonBody(c, ticketBody)
    return c.json(c.var.tickets.issue(stream), 201)
  })

  app.get('/events', (c) => {
    const host = c.var.host
    return openStream(c, c.var.streams, () => knownSecrets(host), async (send) => {
      let seq = 0
      const onDelivery = (e: HostEventMap['delivery'][0]) => void send({ event: 'delivery', id: String(++seq), data: e })
      const onMessage = (e: HostEventMap['message'][0]) => void send({ event: 'message', id: String(++seq), data: e })
      host.events.on('delivery', onDelivery)
      host.events.on('message', onMessage)
      return () => {
        host.events.off('delivery', onDelivery)
        host.events.off('message', onMessage)
      }
    })
  })

  app.get('/stats', async (c) => c.json(await collectStats(c.var.host)))
}
