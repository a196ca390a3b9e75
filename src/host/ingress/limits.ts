// Ingress limits: per-webhook rate limits (token buckets, answered 429 + Retry-After) and the header caps of the server.
import type { IncomingMessage } from 'node:http'
import { HookcatError } from '../../util/errors.js'

/** Largest request head node accepts (431 beyond); set on the server in host.ts. */
export const MAX_HEADER_SIZE = 16 * 1024
/** Most header fields a request may carry; beyond it the request gets 431 (node itself would silently drop the rest). */
export const MAX_HEADERS_COUNT = 200
/** node parses one header more than allowed, so that "too many" can be told from "exactly the allowed number". */
export const SERVER_MAX_HEADERS_COUNT = MAX_HEADERS_COUNT + 1

export interface RateLimitOptions {
  /** Requests allowed per window (also the largest burst). */
  requests: number
  /** Window length in ms. */
  per: number
  /** Count each client address apart (default false: one budget for the webhook, which protects the host but lets one noisy client starve others). */
  perClient?: boolean
}

/** Client buckets kept per webhook; beyond it, full buckets are dropped and then the oldest. */
const MAX_CLIENTS = 10_000

interface Bucket {
  tokens: number
  at: number
}

/** A token bucket per key: `requests` tokens, refilled continuously at requests/per. */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>()
  private readonly rate: number

  constructor(private readonly options: RateLimitOptions) {
    const { requests, per } = options
    if (!(Number.isSafeInteger(requests) && requests > 0)) throw new TypeError(`rateLimit.requests must be a positive whole number, not ${requests}`)
    if (!(Number.isFinite(per) && per > 0)) throw new TypeError(`rateLimit.per must be a positive number of milliseconds, not ${per}`)
    this.rate = requests / per
  }

  /** Takes one token for the key: 0 when allowed, otherwise the ms until a token is free. */
  take(key: string, now: number): number {
    let bucket = this.buckets.get(key)
    if (!bucket) {
      if (this.buckets.size >= MAX_CLIENTS) this.evict(now)
      bucket = { tokens: this.options.requests, at: now }
      this.buckets.set(key, bucket)
    } else {
      bucket.tokens = Math.min(this.options.requests, bucket.tokens + Math.max(0, now - bucket.at) * this.rate)
      bucket.at = now
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1
      return 0
    }
    return Math.ceil((1 - bucket.tokens) / this.rate)
  }

  get size(): number {
    return this.buckets.size
  }

  private evict(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) * this.rate >= this.options.requests) this.buckets.delete(key)
    }
    // Every bucket still in use: drop the oldest-created ones (Map order), a tenth at a time.
    if (this.buckets.size >= MAX_CLIENTS) {
      let drop = Math.ceil(MAX_CLIENTS / 10)
      for (const key of this.buckets.keys()) {
        if (drop-- <= 0) break
        this.buckets.delete(key)
      }
    }
  }
}

/** One limiter per mounted route object: a reload mounts new routes and so starts with fresh budgets. */
const limiters = new WeakMap<object, RateLimiter>()

/** Throws 429 with Retry-After when the webhook (or this client of it) is over its rate limit. */
export function checkRateLimit(route: object, options: RateLimitOptions | undefined, client: string, now: number): void {
  if (!options) return
  let limiter = limiters.get(route)
  if (!limiter) {
    limiter = new RateLimiter(options)
    limiters.set(route, limiter)
  }
  const wait = limiter.take(options.perClient ? client : '', now)
  if (wait > 0) {
    throw new HookcatError('RATE_LIMITED', 'This webhook is receiving more requests than it allows; retry later', {
      headers: { 'retry-after': String(Math.max(1, Math.ceil(wait / 1000))) },
    })
  }
}

/** 431 when the request carried more header fields than allowed (node stops counting one past the limit). */
export function checkHeaderCount(req: IncomingMessage): void {
  if (req.rawHeaders.length > MAX_HEADERS_COUNT * 2) {
    throw new HookcatError('HEADERS_TOO_LARGE', `The request has more than ${MAX_HEADERS_COUNT} header fields`)
  }
}
