// Admin routes for durable tasks (plugin.tasks): list by plugin and status, one task with progress, result or error.
import { z } from 'zod'
import { HookcatError } from '../../util/errors.js'
import type { TaskRow } from '../../storage/types.js'
import type { AdminApp } from '../app.js'
import { intParam, query } from '../validate.js'

const listQuery = z.object({
  plugin: z.string().max(64).optional(),
  status: z.enum(['queued', 'running', 'completed', 'failed', 'interrupted']).optional(),
  before: intParam(1, Number.MAX_SAFE_INTEGER),
  limit: intParam(1, 500),
})

export function taskView(row: TaskRow) {
  return {
    id: row.id,
    seq: row.seq,
    plugin: row.plugin,
    kind: row.kind,
    status: row.status,
    policy: row.policy,
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
    progress: row.progress,
    message: row.progressMessage,
    params: row.params,
    result: row.result ?? null,
    error: row.error,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  }
}

export function taskRoutes(app: AdminApp): void {
  app.get('/tasks', async (c) => {
    const filter = query(c, listQuery)
    const limit = filter.limit ?? 50
    const rows = await c.var.host.storage.listTasks({ plugin: filter.plugin || undefined, status: filter.status, beforeSeq: filter.before, limit })
    const next = rows.length === limit ? rows[rows.length - 1].seq : undefined
    return c.json({ tasks: rows.map(taskView), ...(next === undefined ? {} : { next }) })
  })

  app.get('/tasks/:id', async (c) => {
    const row = await c.var.host.storage.getTask(c.req.param('id'))
    if (!row) throw new HookcatError('NOT_FOUND', 'No task with that id')
    return c.json(taskView(row))
  })
}
