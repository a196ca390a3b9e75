// Retry delays shared by every durable queue: exponential backoff with jitter.

/** Exponential backoff with equal jitter: half fixed, half random, so retries of many items spread out. */
export function backoffDelay(attempt: number, base: number, max: number, random = Math.random): number {
  const ceiling = Math.min(max, base * 2 ** Math.max(0, attempt - 1))
  return Math.round(ceiling / 2 + (ceiling / 2) * random())
}

/** A delay the other side asked for (Retry-After): exactly that, plus a little jitter so many waiters do not return at once. */
export function retryAfterDelay(askedMs: number, cap: number, random = Math.random): number {
  return Math.min(askedMs, cap) + Math.round(random() * Math.min(1000, 50 + askedMs * 0.05))
}
