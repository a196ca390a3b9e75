// A controllable clock for tests: the host reads it for timestamps and retry times; advance() runs what became due.

export interface TestClock {
  /** Milliseconds since the epoch, as the host sees them. */
  now(): number
  /** Moves time forward and runs the retries (inbox and outbox) that became due. */
  advance(ms: number): Promise<void>
  /** Jumps to an absolute time (never backwards). */
  set(ms: number): Promise<void>
  /** Called after each move; the test host registers its host's wake-ups here. Returns an unsubscribe. */
  onAdvance(listener: () => void): () => void
}

export interface ClockOptions {
  /** Start time (default: the real time now). */
  start?: number
  /** true (default): time moves only with advance(). false: real time flows, and advance() adds to it. */
  frozen?: boolean
}

export function createClock(options: ClockOptions = {}): TestClock {
  const frozen = options.frozen ?? true
  const realStart = Date.now()
  let offset = (options.start ?? realStart) - realStart
  const listeners = new Set<() => void>()
  const now = () => (frozen ? realStart : Date.now()) + offset
  const moved = async () => {
    for (const listener of [...listeners]) listener()
    // Let the work that became due start before the test goes on.
    await new Promise<void>((resolve) => setImmediate(resolve))
  }
  return {
    now,
    async advance(ms) {
      if (!(Number.isFinite(ms) && ms >= 0)) throw new RangeError('advance(ms) takes a number of milliseconds ≥ 0')
      offset += ms
      await moved()
    },
    async set(ms) {
      const current = now()
      if (ms < current) throw new RangeError('the clock does not go backwards')
      offset += ms - current
      await moved()
    },
    onAdvance(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
