// Adapter reachability at start-up: each adapter's probe() in the background, its result for the banner and /readyz.
import { isHookcatError } from '../util/errors.js'
import type { Logger } from '../util/logger.js'
import type { AdapterInstance } from './outbox/adapter.js'

export type Reachability =
  | { state: 'checking' }
  | { state: 'reachable'; detail: string }
  | { state: 'unreachable'; detail: string }
  /** The platform connects to hookcat (a reverse WebSocket) and has not yet: normal at start-up. */
  | { state: 'waiting'; detail: string }
  | { state: 'not checked' }

const PROBE_TIMEOUT_MS = 10_000

/** A probe that ignores its signal still ends: a timeout error after PROBE_TIMEOUT_MS. */
function withTimeout(probe: Promise<string>): Promise<string> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { name: 'TimeoutError' })), PROBE_TIMEOUT_MS)
    timer.unref()
  })
  return Promise.race([probe, late]).finally(() => clearTimeout(timer))
}

export class AdapterProbes {
  private readonly results = new Map<string, Reachability>()
  private running: Promise<void> = Promise.resolve()

  constructor(private readonly logger: Logger) {}

  /** Starts every probe; returns at once (the start of the host never waits for a platform). */
  start(adapters: Map<string, AdapterInstance>): void {
    const runs: Array<Promise<void>> = []
    for (const [name, adapter] of adapters) {
      if (!adapter.probe) {
        this.results.set(name, { state: 'not checked' })
        continue
      }
      this.results.set(name, { state: 'checking' })
      runs.push(
        withTimeout(adapter.probe(AbortSignal.timeout(PROBE_TIMEOUT_MS))).then(
          (detail) => {
            this.results.set(name, { state: 'reachable', detail: String(detail).slice(0, 200) })
            this.logger.info({ adapter: name, detail }, 'adapter reachable')
          },
          (error: unknown) => {
            if (isHookcatError(error) && error.code === 'PEER_NOT_CONNECTED') {
              this.results.set(name, { state: 'waiting', detail: error.message.slice(0, 200) })
              this.logger.info({ adapter: name, detail: error.message }, 'adapter waits for its platform to connect')
              return
            }
            const detail = (error as Error)?.name === 'TimeoutError' ? `no answer within ${PROBE_TIMEOUT_MS / 1000} s` : String((error as Error)?.message ?? error).slice(0, 200)
            this.results.set(name, { state: 'unreachable', detail })
            this.logger.warn({ adapter: name, err: detail }, 'adapter unreachable: messages to it wait in the outbox and are retried')
          },
        ),
      )
    }
    this.running = Promise.all(runs).then(() => undefined)
  }

  /** Resolves once every probe is done, or after `ms` (then the ones still running say "checking"). */
  async settled(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined
    await Promise.race([this.running, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))])
    clearTimeout(timer)
  }

  snapshot(): Record<string, Reachability> {
    return Object.fromEntries(this.results)
  }

  /** Only the states, for the unauthenticated /readyz: no bot names, addresses or platform messages. */
  states(): Record<string, Reachability['state']> {
    return Object.fromEntries([...this.results].map(([name, r]) => [name, r.state]))
  }
}
