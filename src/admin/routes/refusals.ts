// Admin route for refused webhook requests: counts per plugin, route and reason (only a sample of them is in the delivery log).
import { z } from 'zod'
import type { AdminApp } from '../app.js'
import { query } from '../validate.js'

const listQuery = z.object({ plugin: z.string().max(64).optional() }).strict()

export function refusalRoutes(app: AdminApp): void {
  app.get('/refusals', async (c) => {
    const { plugin } = query(c, listQuery)
    const refusals = await c.var.host.ingress.refusals.counts(plugin)
    return c.json({ total: refusals.reduce((n, r) => n + r.count, 0), refusals })
  })
}
