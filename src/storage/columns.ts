// Column names of the patchable fields, shared by the SQL backends.
import type { DeliveryPatch, OutboxPatch, TaskPatch } from './types.js'

export const DELIVERY_COLUMNS: Record<keyof DeliveryPatch, string> = {
  status: 'status',
  responseStatus: 'response_status',
  responseBody: 'response_body',
  error: 'error',
  attempts: 'attempts',
  nextAttemptAt: 'next_attempt_at',
  finishedAt: 'finished_at',
  durationMs: 'duration_ms',
  event: 'event',
  outcome: 'outcome',
  outcomeReason: 'outcome_reason',
}

export const OUTBOX_COLUMNS: Record<keyof OutboxPatch, string> = {
  state: 'state',
  attempts: 'attempts',
  nextAttemptAt: 'next_attempt_at',
  deliveredAt: 'delivered_at',
  lastError: 'last_error',
}

/** result is JSON text in the database: encode it with encodeTaskPatch() first. */
export const TASK_COLUMNS: Record<keyof TaskPatch, string> = {
  status: 'status',
  attempts: 'attempts',
  progress: 'progress',
  progressMessage: 'progress_message',
  result: 'result',
  error: 'error',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
  nextAttemptAt: 'next_attempt_at',
}

/** A task patch with its result as JSON text, ready for a SQL UPDATE. */
export function encodeTaskPatch(patch: TaskPatch): Record<string, unknown> {
  const out: Record<string, unknown> = { ...patch }
  if ('result' in patch && patch.result !== undefined) out.result = JSON.stringify(patch.result)
  return out
}
