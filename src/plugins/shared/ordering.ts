// Keeps the latest state of runs whose events can arrive out of order, so that an older state never overwrites a newer one.
import type { Plugin, PluginStore } from '../../index.js'
import { updateStored } from './lock.js'

const PREFIX = 'order:'
const KEEP_MS = 7 * 86_400_000
const PRUNE_BATCH = 1000

interface Seen {
  rank: number
  at: number
  /** The delivery that recorded it: a retry of that same delivery is not stale. */
  by?: string
}

export class StateOrder {
  constructor(
    private readonly store: PluginStore,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Records the state of a run if it is newer than the one seen; false means the event is stale (or a repeat) and is dropped.
   * Ranks only grow: queued 1 < in_progress 2 < completed 3.
   */
  async advance(key: string, rank: number, by?: string): Promise<boolean> {
    const storeKey = `${PREFIX}${key}`.slice(0, 500)
    return updateStored<Seen, boolean>(this.store, storeKey, (seen) =>
      seen && seen.rank >= rank && !(by && seen.by === by) ? { result: false } : { result: true, value: { rank, at: this.now(), by } },
    )
  }

  /** Forgets runs not heard of for a week (one bounded batch per call). */
  async prune(): Promise<number> {
    const cutoff = this.now() - KEEP_MS
    let removed = 0
    for (const { key, value } of (await this.store.list<Seen>(PREFIX)).slice(0, PRUNE_BATCH)) {
      if (!value || typeof value.at !== 'number' || value.at < cutoff) {
        await this.store.delete(key)
        removed++
      }
    }
    return removed
  }
}

/** Rank of a run's status: queued-like 1, running 2, finished 3; 0 when unknown (never dropped). */
export function statusRank(status: string): number {
  switch (status) {
    case 'requested':
    case 'queued':
    case 'waiting':
    case 'pending':
    case 'created':
    case 'preparing':
    case 'scheduled':
    case 'manual':
      return 1
    case 'in_progress':
    case 'running':
      return 2
    case 'completed':
    case 'success':
    case 'failed':
    case 'failure':
    case 'canceled':
    case 'cancelled':
    case 'skipped':
      return 3
    default:
      return 0
  }
}

/** A StateOrder on the plugin's store, its old entries pruned hourly for as long as the plugin is loaded. */
export function stateOrderFor(plugin: Pick<Plugin, 'store' | 'setInterval'>): StateOrder {
  const order = new StateOrder(plugin.store)
  plugin.setInterval(() => void order.prune(), 3_600_000)
  return order
}
