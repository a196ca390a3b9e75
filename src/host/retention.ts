// Retention of the delivery log and of finished tasks: pruned by count and age at start-up and every ten minutes.
import type { HookcatConfig } from '../config/schema.js'
import type { Storage } from '../storage/types.js'
import type { Logger } from '../util/logger.js'

export const RETENTION_EVERY = 10 * 60_000

/** Runs `work` every `ms` (not keeping the process alive); answers how to stop it. */
export function every(ms: number, work: () => void): () => void {
  const timer = setInterval(work, ms)
  timer.unref()
  return () => clearInterval(timer)
}

/** Deletes deliveries and finished tasks beyond the configured counts and ages; answers how many rows went. */
export async function pruneLog(storage: Storage, retention: HookcatConfig['retention'], now: number, logger: Logger): Promise<number> {
  const { maxDeliveries, maxAge, maxTasks, maxTaskAge } = retention
  try {
    const results = await storage.write([
      { op: 'deliveries.prune', keep: maxDeliveries, olderThan: now - maxAge },
      { op: 'tasks.prune', keep: maxTasks, olderThan: now - maxTaskAge },
    ])
    return results.reduce((n, r) => n + (r.changes ?? 0), 0)
  } catch (error) {
    logger.error({ err: (error as Error).message }, 'pruning the delivery log failed')
    return 0
  }
}
