// A delivery's outcome as one SQL expression (both backends): read and filtered by the same words, never stored twice.
import type { DeliveryOutcome } from './types.js'

const HAS_MESSAGES = 'EXISTS (SELECT 1 FROM outbox o WHERE o.delivery_id = deliveries.id)'
const HAS_DEAD = "EXISTS (SELECT 1 FROM outbox o WHERE o.delivery_id = deliveries.id AND o.state = 'dead')"

/** Pending until handled; failed when the handler failed or refused; dead once a message of it dead-lettered; then the handler's word; else delivered or ignored. */
export const OUTCOME_SQL = `(CASE
  WHEN deliveries.status IN ('received', 'queued', 'processing') THEN 'pending'
  WHEN deliveries.status IN ('failed', 'rejected') OR deliveries.response_status >= 400 THEN 'failed'
  WHEN ${HAS_DEAD} THEN 'dead'
  WHEN deliveries.outcome IS NOT NULL THEN deliveries.outcome
  WHEN ${HAS_MESSAGES} THEN 'delivered'
  ELSE 'ignored' END)`

/** Every column of a delivery, plus its outcome now. */
export const DELIVERY_SELECT = `SELECT deliveries.*, ${OUTCOME_SQL} AS outcome_now FROM deliveries`

/** The reason shown beside an outcome: the handler's, the error, or what "ignored" without a word means. */
export function outcomeReason(outcome: DeliveryOutcome, stored: string | null, error: string | null): string | null {
  if (outcome === 'ignored' || outcome === 'filtered') return stored ?? 'the handler sent no message'
  if (outcome === 'failed') return error ?? stored
  return null
}
