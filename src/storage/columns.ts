// Column names of the patchable fields, shared by the SQL backends.
import type { DeliveryPatch, OutboxPatch } from './types.js'

export const DELIVERY_COLUMNS: Record<keyof DeliveryPatch, string> = {
  status: 'status',
  responseStatus: 'response_status',
  responseBody: 'response_body',
  error: 'error',
  attempts: 'attempts',
  nextAttemptAt: 'next_attempt_at',
  finishedAt: 'finished_at',
  durationMs: 'duration_ms',
}

export const OUTBOX_COLUMNS: Record<keyof OutboxPatch, string> = {
  state: 'state',
  attempts: 'attempts',
  nextAttemptAt: 'next_attempt_at',
  deliveredAt: 'delivered_at',
  lastError: 'last_error',
}
