// Rate windows that pace sends to a platform's documented limits: never more than `count` sends in any `intervalMs`.
import type { PaceLimit } from './leases.js'

/**
 * A sliding window over the last `count` send times. Platforms state limits as "N per minute" and count them over
 * any window (Telegram's 20/min per group, DingTalk's 20/min); a token bucket of N would let nearly 2N through in
 * one minute, a sliding window never more than N.
 */
export class RateWindow {
  private readonly times: number[]
  private next = 0

  constructor(
    private readonly limit: PaceLimit,
    _now: number,
  ) {
    this.times = new Array<number>(Math.max(1, limit.count)).fill(-Infinity)
  }

  /** Milliseconds to wait before a send is allowed (0: now). */
  delay(now: number): number {
    // times[next] is the oldest of the last `count` sends: the next one may go once it is an interval old.
    return Math.max(0, Math.ceil(this.times[this.next] + this.limit.intervalMs - now))
  }

  take(now: number): void {
    this.times[this.next] = now
    this.next = (this.next + 1) % this.times.length
  }

  /** The platform refused for rate: the refused call counts as a send, so what follows is paced from now. */
  drain(now: number): void {
    this.take(now)
  }

  /** True when no send is recent enough to matter: the window can be forgotten. */
  idle(now: number): boolean {
    return this.delay(now) === 0 && this.times.every((t) => t + this.limit.intervalMs <= now)
  }
}
