// Group commit: units written while a transaction is in flight share the next one, so many requests pay one fsync.
import { errorCode, type ErrorCode } from '../util/errors.js'
import type { WriteOp, WriteResult } from './types.js'

/** A unit's outcome; a refused unit's error names its catalogue code when it has one (LEASE_LOST), matched by code. */
export type UnitOutcome = { results: WriteResult[] } | { error: string; code?: ErrorCode }

/** The outcome of a unit that threw (crosses the writer thread as plain data). */
export function failedUnit(error: unknown): UnitOutcome {
  const code = errorCode(error)
  return code ? { error: (error as Error).message, code } : { error: (error as Error)?.message ?? String(error) }
}

interface Pending {
  unit: WriteOp[]
  resolve: (results: WriteResult[]) => void
  reject: (error: Error) => void
}

export interface GroupCommitOptions {
  /** Writes one batch (one transaction) and reports each unit's outcome in order. */
  flush: (units: WriteOp[][]) => Promise<UnitOutcome[]>
  /** Largest number of units in one transaction. */
  maxBatch?: number
  /**
   * Batches handed to flush() before the first one has committed (default 1). More than one suits a backend that
   * queues them and merges what is waiting into its next transaction (the SQLite writer thread): no round trip between
   * two commits.
   */
  maxInFlight?: number
}

export class StorageWriteError extends Error {
  constructor(
    message: string,
    readonly code?: ErrorCode,
  ) {
    super(message)
    this.name = 'StorageWriteError'
  }
}

export class GroupCommitter {
  private queue: Pending[] = []
  private inFlight = 0
  private scheduled = false
  private closed = false
  private idleWaiters: Array<() => void> = []
  private readonly maxBatch: number
  private readonly maxInFlight: number

  constructor(private readonly options: GroupCommitOptions) {
    this.maxBatch = options.maxBatch ?? 512
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 1)
  }

  /** Resolves once the unit's transaction has committed; rejects when it failed (nothing of it was written). */
  write(unit: WriteOp[]): Promise<WriteResult[]> {
    if (this.closed) return Promise.reject(new StorageWriteError('storage is closed', 'STORAGE_CLOSED'))
    return new Promise<WriteResult[]>((resolve, reject) => {
      this.queue.push({ unit, resolve, reject })
      this.schedule()
    })
  }

  get pending(): number {
    return this.queue.length
  }

  /** Waits until everything queued so far is committed. */
  async drain(): Promise<void> {
    if (this.inFlight === 0 && this.queue.length === 0) return
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve))
  }

  async close(): Promise<void> {
    await this.drain()
    this.closed = true
  }

  private schedule(): void {
    if (this.inFlight >= this.maxInFlight || this.scheduled) return
    this.scheduled = true
    // setImmediate lets every request already read in this turn of the event loop join the batch.
    setImmediate(() => {
      this.scheduled = false
      void this.run()
    })
  }

  private async run(): Promise<void> {
    if (this.inFlight >= this.maxInFlight) return
    if (this.queue.length === 0) {
      if (this.inFlight === 0) this.wakeIdle()
      return
    }
    this.inFlight++
    const batch = this.queue.length <= this.maxBatch ? this.queue : this.queue.slice(0, this.maxBatch)
    this.queue = this.queue.length <= this.maxBatch ? [] : this.queue.slice(this.maxBatch)
    let outcomes: UnitOutcome[]
    try {
      outcomes = await this.options.flush(batch.map((p) => p.unit))
    } catch (error) {
      outcomes = batch.map(() => failedUnit(error))
    }
    this.inFlight--
    for (let i = 0; i < batch.length; i++) {
      const outcome = outcomes[i] ?? { error: 'no outcome reported for this unit' }
      if ('results' in outcome) batch[i].resolve(outcome.results)
      else batch[i].reject(new StorageWriteError(outcome.error, outcome.code))
    }
    if (this.queue.length > 0) void this.run()
    else if (this.inFlight === 0) this.wakeIdle()
  }

  private wakeIdle(): void {
    const waiters = this.idleWaiters
    this.idleWaiters = []
    for (const w of waiters) w()
  }
}
