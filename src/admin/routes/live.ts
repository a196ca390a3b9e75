// Admin routes for live lists and numbers: the SSE feed of delivery and message events, tickets for it, and stats.
import type { HostEventMap } from '../../host/events.js'
import type { AdminApp } from '../app.js'
import { knownSecrets } from '../scrub.js'
import { openStream } from '../sse.js'
import { collectStats } from '../stats.js'

export function liveRoutes(app: AdminApp): void {
  app.post('/tickets', (c) => c.json(c.var.tickets.issue(), 201))

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
