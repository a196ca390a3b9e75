// Numbers for the overview page: deliveries per minute over the last hour, success rate, outbox depth, backlog.
import type { Host } from '../host/host.js'
import type { DeliveryStatus } from '../storage/types.js'

const MINUTE = 60_000
const WINDOW_MINUTES = 60
const PAGE = 1000
/** The scan of the last hour stops after this many deliveries; `sampled` says when it did. */
const MAX_ROWS = 20_000

const SUCCESS: ReadonlySet<DeliveryStatus> = new Set(['done'])
const FAILURE: ReadonlySet<DeliveryStatus> = new Set(['failed', 'rejected'])

export interface Stats {
  window: { from: number; to: number; minutes: number }
  deliveriesPerMinute: Array<{ at: number; total: number; failed: number }>
  deliveries: { total: number; succeeded: number; failed: number; inProgress: number; sampled: boolean }
  /** Succeeded / (succeeded + failed) over the window; null when nothing finished. */
  successRate: number | null
  outbox: Record<string, number>
  deadLetters: number
  inboxBacklog: number
}

export async function collectStats(host: Host, now = Date.now()): Promise<Stats> {
  const to = Math.floor(now / MINUTE) * MINUTE + MINUTE
  const from = to - WINDOW_MINUTES * MINUTE
  const buckets = Array.from({ length: WINDOW_MINUTES }, (_, i) => ({ at: from + i * MINUTE, total: 0, failed: 0 }))
  const totals = { total: 0, succeeded: 0, failed: 0, inProgress: 0, sampled: false }
  let before: number | undefined
  for (let scanned = 0; ; scanned += PAGE) {
    if (scanned >= MAX_ROWS) {
      totals.sampled = true
      break
    }
    const rows = await host.storage.listDeliveries({ since: from, beforeSeq: before, limit: PAGE })
    for (const row of rows) {
      const bucket = buckets[Math.floor((row.receivedAt - from) / MINUTE)]
      if (!bucket) continue
      bucket.total++
      totals.total++
      if (SUCCESS.has(row.status)) totals.succeeded++
      else if (FAILURE.has(row.status)) {
        totals.failed++
        bucket.failed++
      } else totals.inProgress++
    }
    if (rows.length < PAGE) break
    before = rows[rows.length - 1].seq
  }
  const outbox = await host.storage.outboxCounts()
  const finished = totals.succeeded + totals.failed
  return {
    window: { from, to, minutes: WINDOW_MINUTES },
    deliveriesPerMinute: buckets,
    deliveries: totals,
    successRate: finished === 0 ? null : totals.succeeded / finished,
    outbox,
    deadLetters: outbox.dead ?? 0,
    inboxBacklog: host.inbox.backlog,
  }
}
