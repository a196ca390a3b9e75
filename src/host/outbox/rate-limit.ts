// Token buckets that pace sends to a platform's documented limits.
import type { RateLimit } from './adapter.js'

export class TokenBucket {
  private tokens: number
  private updatedAt: number

  constructor(
    private readonly limit: RateLimit,
    now: number,
  ) {
    this.tokens = limit.count
    this.updatedAt = now
  }

  private refill(now: number): void {
    const rate = this.limit.count / this.limit.intervalMs
    this.tokens = Math.min(this.limit.count, this.tokens + (now - this.updatedAt) * rate)
    this.updatedAt = now
  }

  /** Milliseconds to wait before a token is free (0: take one now). */
  delay(now: number): number {
    this.refill(now)
    if (this.tokens >= 1) return 0
    return Math.ceil((1 - this.tokens) * (this.limit.intervalMs / this.limit.count))
  }

  take(now: number): void {
    this.refill(now)
    this.tokens -= 1
  }
}
