// The memory budget of unverified request bodies: bytes held by requests whose sender is not yet proven, in total and per client.
import { HookcatError } from '../../util/errors.js'

export interface BodyBudgetLimits {
  /** Bytes all unverified bodies may hold at once. */
  bytes: number
  /** Unverified bodies one client address may stream at once. */
  perClient: number
}

/** One request's share: bytes reserved up front (its Content-Length) or taken chunk by chunk (chunked bodies). */
export interface BodyHold {
  /** Counts bytes that arrived; throws 503 when they do not fit in the budget. */
  take(bytes: number): void
  /** Gives the bytes back (the body was verified, refused or finished); safe to call twice. */
  release(): void
}

const RETRY_AFTER = '2'

function overBudget(message: string): HookcatError {
  return new HookcatError('UNVERIFIED_BODIES_OVER_BUDGET', message, { headers: { 'retry-after': RETRY_AFTER } })
}

export class BodyBudget {
  private held = 0
  private readonly clients = new Map<string, number>()

  constructor(private readonly limits: BodyBudgetLimits) {}

  /** Bytes held now by unverified bodies. */
  get bytesHeld(): number {
    return this.held
  }

  /**
   * Opens a hold for a body of `declared` bytes (undefined: chunked, unknown). Refuses (503 + Retry-After) before a
   * byte is read when the client already streams its share of bodies or the declared length does not fit.
   */
  open(client: string, declared: number | undefined): BodyHold {
    const streaming = this.clients.get(client) ?? 0
    if (streaming >= this.limits.perClient) {
      throw overBudget(`This client is already sending ${streaming} unverified request bodies; retry when they are done`)
    }
    const reserved = declared ?? 0
    if (this.held + reserved > this.limits.bytes) throw overBudget('hookcat is holding as many unverified request bodies as it allows; retry later')
    this.held += reserved
    this.clients.set(client, streaming + 1)
    let taken = 0
    let extra = 0
    let open = true
    return {
      take: (bytes) => {
        taken += bytes
        const need = taken - reserved - extra
        if (need <= 0) return
        if (this.held + need > this.limits.bytes) throw overBudget('hookcat is holding as many unverified request bodies as it allows; retry later')
        this.held += need
        extra += need
      },
      release: () => {
        if (!open) return
        open = false
        this.held -= reserved + extra
        const left = (this.clients.get(client) ?? 1) - 1
        if (left <= 0) this.clients.delete(client)
        else this.clients.set(client, left)
      },
    }
  }
}
