// Admin routes for the delivery log: filtered, paged list; detail with decoded body; replay.
import { z } from 'zod'
import { DELIVERY_OUTCOMES } from '../../storage/types.js'
import { HookcatError } from '../../util/errors.js'
import type { AdminApp } from '../app.js'
import { intParam, query, timeParam } from '../validate.js'
import { deliveryDetail, deliverySummary } from '../views.js'

export const DELIVERY_STATUSES = ['received', 'queued', 'processing', 'done', 'failed', 'rejected'] as const

const listQuery = z.object({
  plugin: z.string().max(200).optional(),
  status: z.enum(DELIVERY_STATUSES).optional(),
  since: timeParam,
  until: timeParam,
  q: z.string().max(500).optional(),
  event: z.string().min(1).max(100).optional(),
  outcome: z.enum(DELIVERY_OUTCOMES).optional(),
  before: intParam(1, Number.MAX_SAFE_INTEGER),
  limit: intParam(1, 500),
})

export function deliveryRoutes(app: AdminApp): void {
  app.get('/deliveries', async (c) => {
    const filter = query(c, listQuery)
    const limit = filter.limit ?? 50
    const rows = await c.var.host.storage.listDeliveries({
      plugin: filter.plugin || undefined,
      status: filter.status,
      since: filter.since,
      until: filter.until,
      text: filter.q || undefined,
      event: filter.event,
      outcome: filter.outcome,
      beforeSeq: filter.before,
      limit,
    })
    const next = rows.length === limit ? rows[rows.length - 1].seq : undefined
    return c.json({ deliveries: rows.map(deliverySummary), ...(next === undefined ? {} : { next }) })
  })

  app.get('/deliveries/:id', async (c) => {
    const row = await c.var.host.storage.getDelivery(c.req.param('id'))
    if (!row) throw new HookcatError('NOT_FOUND', 'No delivery with that id')
    const messages = await c.var.host.storage.listMessages({ deliveryId: row.id, limit: 1000 })
    return c.json(deliveryDetail(row, messages.map((m) => m.id).reverse()))
  })

  app.post('/deliveries/:id/replay', async (c) => {
    const host = c.var.host
    const row = await host.storage.getDelivery(c.req.param('id'))
    if (!row) throw new HookcatError('NOT_FOUND', 'No delivery with that id')
    if ((row.body?.length ?? 0) < row.bodySize) throw new HookcatError('CONFLICT', 'Only the start of this delivery\'s body was kept, so it cannot be replayed')
    if (!host.registry.findRoute(row.plugin, row.path)) {
      throw new HookcatError('CONFLICT', `Plugin "${row.plugin}" is not loaded or has no webhook at ${row.path}`)
    }
    const replayed = await host.inbox.replay(row)
    return c.json({ id: replayed.id, replayOf: row.id }, 202)
  })
}
