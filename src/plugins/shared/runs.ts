// The last outcome of each CI series (workflow + branch, pipeline + ref), so that a success after a failure is told as "fixed".
import type { Plugin, PluginStore } from '../../index.js'
import { serialized } from './lock.js'
import type { RunFacts } from './routing.js'

const PREFIX = 'outcome:'
const KEEP_MS = 30 * 86_400_000
const PRUNE_BATCH = 1000

const FAILED = new Set(['failure', 'failed', 'error', 'startup_failure', 'timed_out'])
const PASSED = new Set(['success', 'succeeded', 'passed'])
const PENDING = new Set(['requested', 'queued', 'waiting', 'pending', 'created', 'preparing', 'scheduled', 'manual', 'in_progress', 'running', 'waiting_for_resource'])

interface Last {
  outcome: RunFacts['outcome']
  at: number
  /** The delivery that recorded it, and what it decided: a retry of that delivery decides the same. */
  by?: string
  fixed?: boolean
}

/** The run facts of a state: finished or not, and failed, passed or neither (cancelled, skipped, neutral …). */
export function runFacts(series: string, state: string): RunFacts {
  const outcome = FAILED.has(state) ? 'failure' : PASSED.has(state) ? 'success' : 'other'
  return { series, done: !PENDING.has(state) && state !== '', outcome }
}

export class RunOutcomes {
  constructor(
    private readonly store: PluginStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a finished run's outcome; true when it is a success that follows a failure of the same series. */
  async note(run: RunFacts, by?: string): Promise<boolean> {
    if (!run.done || run.outcome === 'other') return false
    const key = `${PREFIX}${run.series}`.slice(0, 500)
    return serialized(key, async () => {
      const last = await this.store.get<Last>(key)
      if (last && by && last.by === by) return last.fixed === true
      const fixed = run.outcome === 'success' && last?.outcome === 'failure'
      await this.store.set(key, { outcome: run.outcome, at: this.now(), by, fixed } satisfies Last)
      return fixed
    })
  }

  /** Forgets series not heard of for a month (one bounded batch per call). */
  async prune(): Promise<void> {
    const cutoff = this.now() - KEEP_MS
    for (const { key, value } of (await this.store.list<Last>(PREFIX)).slice(0, PRUNE_BATCH)) {
      if (!value || typeof value.at !== 'number' || value.at < cutoff) await this.store.delete(key)
    }
  }
}

/** RunOutcomes on the plugin's store, pruned daily; `fixed` of the facts is set when a finished run is noted. */
export function runOutcomesFor(plugin: Pick<Plugin, 'store' | 'setInterval'>): (run: RunFacts | undefined, by?: string) => Promise<boolean> {
  const outcomes = new RunOutcomes(plugin.store)
  plugin.setInterval(() => void outcomes.prune(), 86_400_000)
  return async (run, by) => {
    if (!run) return false
    run.fixed = await outcomes.note(run, by)
    return run.fixed
  }
}
