// Admin routes for the outbox: list by state, message with its attempts, retry and discard of dead letters.
import { z } from 'zod'
import type { Host } from '../../host/host.js'
import { HookcatError } from '../../util/errors.js'
import type { AdminApp } from '../app.js'
import { intParam, jsonBody, query } from '../validate.js'
import { messageView } from '../views.js'

export const OUTBOX_STATES = ['pending', 'sending', 'delivered', 'dead', 'discarded', 'carried'] as const

const listQuery = z.object({
  state: z.enum(OUTBOX_STATES).optional(),
  chatKey: z.string().max(300).optional(),
  before: intParam(1, Number.MAX_SAFE_INTEGER),
  limit: intParam(1, 500),
})

const selection = z.object({ ids: z.array(z.string().min(1).max(100)).min(1).max(500) })

type Action = 'retry' | 'discard'

/** Retries or discards one message; 404 when it does not exist, 409 when it is not a dead letter. */
async function act(host: Host, id: string, action: Action) {
  const row = await host.storage.getMessage(id)
  if (!row) throw new HookcatError('NOT_FOUND', 'No message with that id')
  const done = await host.outbox[action](id)
  if (!done) throw new HookcatError('CONFLICT', `Message is ${row.state}; only dead letters can be ${action === 'retry' ? 'retried' : 'discarded'}`)
  const updated = await host.storage.getMessage(id)
  return messageView(updated ?? row)
}

export function outboxRoutes(app: AdminApp): void {
  app.get('/outbox', async (c) => {
    const filter = query(c, listQuery)
    const limit = filter.limit ?? 50
    const rows = await c.var.host.storage.listMessages({ state: filter.state, chatKey: filter.chatKey || undefined, beforeSeq: filter.before, limit })
    const next = rows.length === limit ? rows[rows.length - 1].seq : undefined
    return c.json({ messages: rows.map(messageView), ...(next === undefined ? {} : { next }) })
  })

  for (const action of ['retry', 'discard'] as const) {
    // The selection route is registered first so that "retry" is never taken for a message id.
    app.post(`/outbox/${action}`, async (c) => {
      const { ids } = await jsonBody(c, selection)
      const results: Array<{ id: string; ok: boolean; error?: { code: string; message: string } }> = []
      for (const id of [...new Set(ids)]) {
        try {
          await act(c.var.host, id, action)
          results.push({ id, ok: true })
        } catch (error) {
          if (!(error instanceof HookcatError)) throw error
          results.push({ id, ok: false, error: { code: error.code, message: error.message } })
        }
      }
      return c.json({ results, done: results.filter((r) => r.ok).length })
    })
    app.post(`/outbox/:id/${action}`, async (c) => c.json(await act(c.var.host, c.req.param('id'), action)))
  }

  app.get('/outbox/:id', async (c) => {
    const id = c.req.param('id')
    const row = await c.var.host.storage.getMessage(id)
    if (!row) throw new HookcatError('NOT_FOUND', 'No message with that id')
    return c.json({ message: messageView(row), attempts: await c.var.host.storage.messageAttempts(id) })
  })
}
