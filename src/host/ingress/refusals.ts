// Refused webhook requests are counted, not stored one by one: counters per (plugin, route, reason), and a bounded sample of rows.
import type { Logger } from '../../util/logger.js'
import type { RefusalCount, Storage } from '../../storage/types.js'
import { RateLimiter } from './limits.js'

export interface RefusalSampling {
  /** Refusals of one webhook and reason stored as delivery rows in a burst (default 10). */
  burst: number
  /** After the burst, one more row per this many ms (default a minute). */
  every: number
}

export const DEFAULT_SAMPLING: RefusalSampling = { burst: 10, every: 60_000 }

/** Counters are written in batches: a flood of refusals costs one upsert per webhook and reason per flush, not one row each. */
const FLUSH_EVERY = 1000

export class RefusalCounter {
  private readonly pending = new Map<string, RefusalCount>()
  /** Sampling is a token bucket per key: `burst` rows at once, refilled at one per `every` ms (the rate limiter's buckets). */
  private readonly sampler: RateLimiter
  private timer?: NodeJS.Timeout
  private flushing: Promise<void> = Promise.resolve()

  constructor(
    private readonly deps: {
      storage: Storage
      logger: Logger
      now: () => number
      sampling?: RefusalSampling
      /** Told of each refusal (the /metrics counter). */
      onRefused?: (plugin: string, route: string, reason: string) => void
    },
  ) {
    const { burst, every } = deps.sampling ?? DEFAULT_SAMPLING
    this.sampler = new RateLimiter({ requests: burst, per: burst * every })
  }

  /** Counts one refusal; true when this one should also be kept as a sample row in the delivery log. */
  note(plugin: string, route: string, reason: string, status: number): boolean {
    const now = this.deps.now()
    const key = `${plugin}\u0000${route}\u0000${reason}`
    const entry = this.pending.get(key)
    if (entry) {
      entry.count++
      entry.lastAt = now
      entry.status = status
    } else this.pending.set(key, { plugin, route, reason, status, count: 1, firstAt: now, lastAt: now })
    this.deps.onRefused?.(plugin, route, reason)
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), FLUSH_EVERY)
      this.timer.unref()
    }
    return this.sampler.take(key, now) === 0
  }

  /** Writes the counts gathered since the last flush. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    if (this.pending.size === 0) return this.flushing
    const counts = [...this.pending.values()]
    this.pending.clear()
    this.flushing = this.flushing.then(() =>
      this.deps.storage.write([{ op: 'refusals.add', counts }]).then(
        () => undefined,
        (error: Error) => {
          // Counts are advisory: losing one batch when storage is down must not take the ingress with it.
          this.deps.logger.error({ err: error.message }, 'could not store refusal counts')
        },
      ),
    )
    return this.flushing
  }

  /** Stored counts plus those not yet flushed. */
  async counts(plugin?: string): Promise<RefusalCount[]> {
    const stored = await this.deps.storage.refusalCounts(plugin)
    const merged = new Map(stored.map((c) => [`${c.plugin}\u0000${c.route}\u0000${c.reason}`, { ...c }]))
    for (const [key, p] of this.pending) {
      if (plugin !== undefined && p.plugin !== plugin) continue
      const m = merged.get(key)
      if (!m) merged.set(key, { ...p })
      else {
        m.count += p.count
        m.lastAt = Math.max(m.lastAt, p.lastAt)
        m.firstAt = Math.min(m.firstAt, p.firstAt)
      }
    }
    return [...merged.values()].sort((a, b) => b.count - a.count || a.plugin.localeCompare(b.plugin) || a.route.localeCompare(b.route))
  }
}
