// The one scheduler of durable work (inbox deliveries, tasks, chat dispatch): ready queue, concurrency, due times, bounded stop.
import type { Logger } from '../../util/logger.js'
import { errorCode } from '../../util/errors.js'

/**
 * What a run asks for next: nothing (the work is finished or no longer this process's), or another run at `at`.
 * `keepTurn`: work of an in-order kind keeps its place at the head of its line until then (it waits for its turn).
 */
export type RunOutcome<T> = void | undefined | { at: number; item?: T; keepTurn?: boolean }

export interface WorkQueueOptions<T> {
  /** Names the queue in logs. */
  name: string
  logger: Logger
  /** The injected clock: due times are on it, so that a test clock that jumps ahead can run them (wake). */
  now: () => number
  /** Runs at once in all (default: no limit). */
  concurrency?: number
  /** Runs at once of one kind (a plugin, an adapter); the rest of the ready queue goes on meanwhile. */
  perKind?: (kind: string) => number
  /** The size an item counts for in `weight` (say, its body's bytes), so that a backlog can be bounded by bytes. */
  weigh?: (item: T) => number
  /**
   * True while something more urgent has the CPU (webhooks being acknowledged): then at most one run at a time goes
   * on, so that the backlog still moves, and the rest waits until it is false.
   */
  yieldTo?: () => boolean
  /**
   * Runs one item. `release()` frees its slot early (while its outcome commits) so the next item need not wait one
   * fsync per slot. Resolves with what comes next; a rejection is classified by error code (see onError).
   */
  run: (item: T, release: () => void) => Promise<RunOutcome<T>>
  /**
   * Work of such a kind runs one item at a time, in the order it was added: the next starts once the previous one
   * released its slot or ended (a run that asks again passes its turn, unless it keeps it: see RunOutcome).
   */
  inOrder?: (kind: string) => boolean
  /**
   * A run that threw an error without a code the queue knows: tried again after this many ms (default), or dropped
   * (false: whoever owns the work settles it later, e.g. at the next start or takeover).
   */
  retryAfterError?: number | false
}

interface Entry<T> {
  id: string
  kind: string
  item: T
  weight: number
  at: number
  timer?: NodeJS.Timeout
  running: boolean
  /** Asked for again while running: scheduled once the run ends, whatever the run answered. */
  again?: { at: number; item: T }
  /** Waits behind earlier work of its in-order kind (neither ready nor timed). */
  parked?: boolean
  /** Its place in an in-order line (say, its sequence in storage): work added late but ranked earlier goes first. */
  rank: number
}

/** How soon a queue that yielded looks again whether it may run at full concurrency. */
const YIELD_RECHECK_MS = 5

export class WorkQueue<T> {
  private readonly entries = new Map<string, Entry<T>>()
  private ready: Entry<T>[] = []
  private readonly kinds = new Map<string, { known: number; running: number }>()
  /** The lines of in-order kinds: work whose turn has not passed, oldest first; the head may run. */
  private readonly lines = new Map<string, Entry<T>[]>()
  private readonly runs = new Set<Promise<void>>()
  private runningCount = 0
  private totalWeight = 0
  private stopped = false
  private kicked = false
  private yieldTimer?: NodeJS.Timeout

  constructor(private readonly options: WorkQueueOptions<T>) {}

  /** Work known to this queue: waiting, ready or running. */
  get size(): number {
    return this.entries.size
  }

  get readyCount(): number {
    return this.ready.length
  }

  /** The summed weight of the work known to this queue (see weigh). */
  get weight(): number {
    return this.totalWeight
  }

  get running(): number {
    return this.runningCount
  }

  get isStopped(): boolean {
    return this.stopped
  }

  /** Work of one kind known to this queue. */
  count(kind: string): number {
    return this.kinds.get(kind)?.known ?? 0
  }

  ids(): string[] {
    return [...this.entries.keys()]
  }

  has(id: string): boolean {
    return this.entries.has(id)
  }

  /**
   * Adds work due at `at` (0: now); ignored (false) when this id is known already or the queue has stopped. `rank`
   * places it in its in-order line (default: last).
   */
  add(id: string, kind: string, item: T, at = 0, rank = Infinity): boolean {
    if (this.stopped || this.entries.has(id)) return false
    const entry: Entry<T> = { id, kind, item, weight: this.options.weigh?.(item) ?? 0, at, running: false, rank }
    this.entries.set(id, entry)
    this.totalWeight += entry.weight
    this.kindOf(kind).known++
    if (this.options.inOrder?.(kind) && !this.queueInLine(entry)) return true
    this.schedule(entry, at)
    return true
  }

  /** Adds work, or brings known work forward to `at` with a new item; work running now runs again after. */
  poke(id: string, kind: string, item: T, at = 0): void {
    const entry = this.entries.get(id)
    if (!entry) return void this.add(id, kind, item, at)
    if (entry.running) {
      entry.again = { at: Math.min(at, entry.again?.at ?? at), item }
      return
    }
    entry.item = item
    if (entry.parked) {
      entry.at = Math.min(at, entry.at)
      return
    }
    if (entry.timer && at < entry.at) {
      clearTimeout(entry.timer)
      entry.timer = undefined
      this.schedule(entry, at)
    }
  }

  /** Forgets waiting work (it runs no more here); work running now is forgotten when its run ends. */
  cancel(id: string): void {
    const entry = this.entries.get(id)
    if (!entry) return
    if (entry.running) {
      entry.again = undefined
      return
    }
    if (entry.timer) clearTimeout(entry.timer)
    const index = entry.parked ? -1 : this.ready.indexOf(entry)
    if (index >= 0) this.ready.splice(index, 1)
    this.forget(entry)
  }

  /** Runs now every waiting item that is due by the injected clock (a test clock that jumped ahead calls this). */
  wake(): void {
    const now = this.options.now()
    for (const entry of this.entries.values()) {
      if (!entry.timer || entry.at > now) continue
      clearTimeout(entry.timer)
      entry.timer = undefined
      this.ready.push(entry)
    }
    this.drain()
  }

  /** Stops starting work and waits (bounded) for the runs in progress. */
  async stop(timeoutMs = 5000): Promise<void> {
    this.stopped = true
    for (const entry of this.entries.values()) if (entry.timer) clearTimeout(entry.timer)
    if (this.yieldTimer) clearTimeout(this.yieldTimer)
    this.ready = []
    await Promise.race([Promise.allSettled([...this.runs]), new Promise((r) => setTimeout(r, timeoutMs).unref())])
  }

  private kindOf(kind: string): { known: number; running: number } {
    let counts = this.kinds.get(kind)
    if (!counts) this.kinds.set(kind, (counts = { known: 0, running: 0 }))
    return counts
  }

  private forget(entry: Entry<T>): void {
    if (this.entries.get(entry.id) !== entry) return
    this.entries.delete(entry.id)
    this.passTurn(entry)
    this.totalWeight -= entry.weight
    const counts = this.kindOf(entry.kind)
    if (--counts.known <= 0 && counts.running <= 0) this.kinds.delete(entry.kind)
  }

  /**
   * Places in-order work in its line by rank; answers true when it is the head (to be scheduled now). Work taken over
   * from another process can rank before the head: the head then waits again behind it (at once if it is waiting,
   * when its run ends if it is running).
   */
  private queueInLine(entry: Entry<T>): boolean {
    const line = this.lines.get(entry.kind)
    if (!line) {
      this.lines.set(entry.kind, [entry])
      return true
    }
    let index = line.length
    while (index > 0 && line[index - 1].rank > entry.rank) index--
    line.splice(index, 0, entry)
    if (index > 0) {
      entry.parked = true
      return false
    }
    const demoted = line[1]
    if (!demoted.running && !demoted.parked) {
      if (demoted.timer) clearTimeout(demoted.timer)
      demoted.timer = undefined
      const ready = this.ready.indexOf(demoted)
      if (ready >= 0) this.ready.splice(ready, 1)
      demoted.parked = true
    }
    return true
  }

  /** The entry's turn in its line is over: the next of its kind may run. */
  private passTurn(entry: Entry<T>): void {
    const line = this.lines.get(entry.kind)
    const index = line ? line.indexOf(entry) : -1
    if (!line || index < 0) return
    line.splice(index, 1)
    if (line.length === 0) return void this.lines.delete(entry.kind)
    const head = line[0]
    if (index === 0 && head.parked) {
      head.parked = false
      this.schedule(head, head.at)
    }
  }

  private schedule(entry: Entry<T>, at: number): void {
    entry.at = at
    const delay = at - this.options.now()
    if (delay <= 0 || this.stopped) {
      if (this.stopped) return
      this.ready.push(entry)
      return this.kick()
    }
    entry.timer = setTimeout(() => {
      entry.timer = undefined
      // The injected clock decides when work is due; a clock that stands still keeps it waiting.
      this.schedule(entry, entry.at)
    }, delay)
    entry.timer.unref()
  }

  /**
   * Due work starts on the next turn of the event loop, never inside the caller: an async webhook's handler must not
   * run (parse its body) before its 202 is written, and work added in one turn starts together.
   */
  private kick(): void {
    if (this.kicked) return
    this.kicked = true
    setImmediate(() => {
      this.kicked = false
      this.drain()
    })
  }

  private drain(): void {
    const { perKind, yieldTo } = this.options
    let concurrency = this.options.concurrency ?? Infinity
    if (yieldTo && this.ready.length > 0 && yieldTo()) {
      concurrency = 1
      // Looked at again shortly: nothing else calls drain() when the urgent work ends.
      this.yieldTimer ??= setTimeout(() => {
        this.yieldTimer = undefined
        this.drain()
      }, YIELD_RECHECK_MS).unref()
    }
    for (let i = 0; !this.stopped && this.runningCount < concurrency && i < this.ready.length; ) {
      const entry = this.ready[i]
      const counts = this.kindOf(entry.kind)
      if (perKind && counts.running >= perKind(entry.kind)) {
        i++ // this kind is at its limit: the next kind's work goes first
        continue
      }
      this.ready.splice(i, 1)
      this.start(entry, counts)
    }
  }

  private start(entry: Entry<T>, counts: { running: number }): void {
    entry.running = true
    this.runningCount++
    counts.running++
    let released = false
    const release = () => {
      if (released) return
      released = true
      this.runningCount--
      counts.running--
      this.drain()
    }
    // Released early: the run's outcome is on its way (to storage, in order), so the next of its line may start.
    const early = () => {
      if (released) return
      this.passTurn(entry)
      release()
    }
    const run: Promise<void> = Promise.resolve()
      .then(() => this.options.run(entry.item, early))
      .then(
        (next) => this.settle(entry, next ?? undefined),
        (error) => this.failed(entry, error),
      )
      .finally(() => {
        this.runs.delete(run)
        release()
      })
    this.runs.add(run)
  }

  private settle(entry: Entry<T>, next: { at: number; item?: T; keepTurn?: boolean } | undefined): void {
    entry.running = false
    const again = entry.again
    entry.again = undefined
    if (this.entries.get(entry.id) !== entry) return
    if (!next && !again) return this.forget(entry)
    if (!next?.keepTurn) this.passTurn(entry)
    else if (this.lines.get(entry.kind)?.[0] !== entry) {
      // Earlier work joined its line while it ran: it waits behind it.
      entry.parked = true
      entry.at = Math.min(next.at, again?.at ?? Infinity)
      return
    }
    if (next?.item !== undefined) entry.item = next.item
    if (again) entry.item = again.item
    this.schedule(entry, Math.min(next?.at ?? Infinity, again?.at ?? Infinity))
  }

  /** Classified by code: work another process took over, or storage closing under a stop, is no longer this queue's. */
  private failed(entry: Entry<T>, error: unknown): void {
    const code = errorCode(error)
    const { logger, name, retryAfterError = 5000 } = this.options
    if (code === 'LEASE_LOST') {
      logger.warn({ id: entry.id }, `${name}: taken over by another process`)
      entry.again = undefined
      return this.settle(entry, undefined)
    }
    if (code === 'STORAGE_CLOSED' || this.stopped) return this.settle(entry, undefined)
    logger.error({ err: error, id: entry.id }, `${name}: run failed${retryAfterError === false ? '' : '; will try again'}`)
    this.settle(entry, retryAfterError === false ? undefined : { at: this.options.now() + retryAfterError })
  }
}
