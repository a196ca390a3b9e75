// Maps database rows (snake_case columns, JSON as text) to the storage contract's objects, for every backend.
import { outcomeReason } from './outcome.js'
import type { DeliveryOutcome, DeliveryRow, OutboxAttempt, OutboxRow, TaskRow, WebMessageRow } from './types.js'

type Raw = Record<string, unknown>

export function toDelivery(r: Raw): DeliveryRow {
  // outcome_now comes with reads through DELIVERY_SELECT; rows read for internal bookkeeping go without.
  const outcome = (r.outcome_now as DeliveryOutcome | undefined) ?? 'pending'
  return {
    seq: r.seq as number,
    id: r.id as string,
    plugin: r.plugin as string,
    route: r.route as string,
    path: r.path as string,
    method: r.method as string,
    headers: JSON.parse(r.headers as string) as Record<string, string>,
    query: r.query as string,
    body: (r.body as Buffer | null) ?? null,
    bodySize: r.body_size as number,
    clientIp: r.client_ip as string,
    mode: r.mode as DeliveryRow['mode'],
    status: r.status as DeliveryRow['status'],
    dedupKey: (r.dedup_key as string | null) ?? null,
    responseStatus: (r.response_status as number | null) ?? null,
    responseBody: (r.response_body as string | null) ?? null,
    error: (r.error as string | null) ?? null,
    attempts: r.attempts as number,
    nextAttemptAt: (r.next_attempt_at as number | null) ?? null,
    receivedAt: r.received_at as number,
    finishedAt: (r.finished_at as number | null) ?? null,
    durationMs: (r.duration_ms as number | null) ?? null,
    duplicates: r.duplicates as number,
    event: (r.event as string | null) ?? null,
    outcome,
    outcomeReason: outcomeReason(outcome, (r.outcome_reason as string | null) ?? null, (r.error as string | null) ?? null),
    // Only when set, so that rows without one read back as they were written.
    ...(r.ordering_key ? { orderingKey: r.ordering_key as string } : {}),
  }
}

export function toMessage(r: Raw): OutboxRow {
  return {
    seq: r.seq as number,
    id: r.id as string,
    chatKey: r.chat_key as string,
    message: JSON.parse(r.message as string),
    plugin: (r.plugin as string | null) ?? null,
    deliveryId: (r.delivery_id as string | null) ?? null,
    state: r.state as OutboxRow['state'],
    attempts: r.attempts as number,
    nextAttemptAt: r.next_attempt_at as number,
    createdAt: r.created_at as number,
    updatedAt: r.updated_at as number,
    deliveredAt: (r.delivered_at as number | null) ?? null,
    lastError: (r.last_error as string | null) ?? null,
    carriedBy: (r.carried_by as string | null) ?? null,
    position: r.position === null || r.position === undefined ? null : Number(r.position),
  }
}

export function toAttempt(r: Raw): OutboxAttempt {
  return {
    messageId: r.message_id as string,
    at: r.at as number,
    ok: r.ok === 1 || r.ok === true,
    httpStatus: (r.http_status as number | null) ?? null,
    error: (r.error as string | null) ?? null,
    durationMs: r.duration_ms as number,
  }
}

export function toWebMessage(r: Raw): WebMessageRow {
  return {
    seq: r.seq as number,
    room: r.room as string,
    message: JSON.parse(r.message as string),
    createdAt: r.created_at as number,
    outboxId: (r.outbox_id as string | null) ?? null,
  }
}

export function toTask(r: Raw): TaskRow {
  return {
    seq: Number(r.seq),
    id: r.id as string,
    plugin: r.plugin as string,
    kind: r.kind as string,
    params: JSON.parse(r.params as string),
    status: r.status as TaskRow['status'],
    policy: r.policy as TaskRow['policy'],
    attempts: Number(r.attempts),
    maxAttempts: Number(r.max_attempts),
    progress: Number(r.progress),
    progressMessage: (r.progress_message as string | null) ?? null,
    result: r.result === null || r.result === undefined ? null : JSON.parse(r.result as string),
    error: (r.error as string | null) ?? null,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    startedAt: r.started_at === null || r.started_at === undefined ? null : Number(r.started_at),
    finishedAt: r.finished_at === null || r.finished_at === undefined ? null : Number(r.finished_at),
    nextAttemptAt: r.next_attempt_at === null || r.next_attempt_at === undefined ? null : Number(r.next_attempt_at),
  }
}
