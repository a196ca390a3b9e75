// Replay windows: a signed timestamp must be within the tolerance of now, in the past and in the future alike.
import { HookcatError } from '../../util/errors.js'

const DIGITS = /^\d{1,13}$/

/**
 * Reads a Unix timestamp header: missing is 401, malformed is 400. "auto" reads 12 digits or more as
 * milliseconds (home-made senders use both); "seconds" is strict, as Standard Webhooks and Stripe define it.
 */
export function parseTimestamp(value: string | undefined, headerName: string, unit: 'auto' | 'seconds' = 'auto'): number {
  if (value === undefined || value === '') throw new HookcatError('UNAUTHORIZED', `The ${headerName} header is missing`)
  if (!DIGITS.test(value) || (unit === 'seconds' && value.length > 11)) {
    throw new HookcatError('SIGNATURE_MALFORMED', `The ${headerName} header is not a Unix timestamp in ${unit === 'seconds' ? 'seconds' : 'seconds or milliseconds'}`)
  }
  const n = Number(value)
  return value.length > 11 ? Math.floor(n / 1000) : n
}

/** 401 when the timestamp is further than the tolerance from now, either way (stale replays and forged future ones). */
export function checkWindow(seconds: number, nowMs: number, toleranceSeconds: number, headerName: string): void {
  const skew = nowMs / 1000 - seconds
  if (skew > toleranceSeconds) throw new HookcatError('TIMESTAMP_OUT_OF_TOLERANCE', `The ${headerName} timestamp is more than ${toleranceSeconds} s old`)
  if (-skew > toleranceSeconds) throw new HookcatError('TIMESTAMP_OUT_OF_TOLERANCE', `The ${headerName} timestamp is more than ${toleranceSeconds} s in the future`)
}

/** A tolerance given by a plugin, checked once when the verifier is made. */
export function toleranceOf(value: number | undefined, fallback = 300): number {
  const tolerance = value ?? fallback
  if (!(Number.isFinite(tolerance) && tolerance > 0)) throw new TypeError(`toleranceSeconds must be a positive number of seconds, not ${value}`)
  return tolerance
}
