// The storage contract: batched atomic writes (group commit) and the reads the host needs, for any backend.

export type DeliveryMode = 'sync' | 'async'
/** received: sync, being handled; queued: async, waiting; processing: async, running; done/failed: final; rejected: refused at ingress. */
export type DeliveryStatus = 'received' | 'queued' | 'processing' | 'done' | 'failed' | 'rejected'
/**
 * What a delivery came to: pending (not handled yet), delivered (it produced messages), ignored or filtered (the
 * plugin said why, or it sent nothing), failed (the handler failed or refused it), dead (a message of it dead-lettered).
 */
export type DeliveryOutcome = 'pending' | 'delivered' | 'ignored' | 'filtered' | 'failed' | 'dead'
export const DELIVERY_OUTCOMES: readonly DeliveryOutcome[] = ['pending', 'delivered', 'ignored', 'filtered', 'failed', 'dead']
/** The outcome a handler names itself (reply.ignored() / reply.filtered()). */
export type HandlerOutcome = 'ignored' | 'filtered'

export interface DeliveryRow {
  seq: number
  id: string
  plugin: string
  route: string
  path: string
  method: string
  headers: Record<string, string>
  query: string
  body: Buffer | null
  bodySize: number
  clientIp: string
  mode: DeliveryMode
  status: DeliveryStatus
  dedupKey: string | null
  responseStatus: number | null
  responseBody: string | null
  error: string | null
  attempts: number
  nextAttemptAt: number | null
  receivedAt: number
  finishedAt: number | null
  durationMs: number | null
  duplicates: number
  /** The sender's event type (X-GitHub-Event, X-Gitlab-Event, an alert's status, a relay's name), when known. */
  event: string | null
  /** Computed when read, from the status, the handler's own word and the delivery's messages. */
  outcome: DeliveryOutcome
  /** Why it was ignored or filtered (the handler's reason), or what failed. */
  outcomeReason: string | null
  /**
   * Async deliveries with the same key (chosen by the route at ack time) run their first attempt one at a time, in
   * acknowledgement order, across all processes. Null or absent: no order.
   */
  orderingKey?: string | null
}

/** The outcome and its reason as stored: only what the handler said (reply.ignored/filtered); the rest is computed. */
export interface DeliveryMark {
  event?: string | null
  outcome?: HandlerOutcome | null
  outcomeReason?: string | null
}

export type DeliveryInsert = Omit<DeliveryRow, 'seq' | 'duplicates' | 'finishedAt' | 'durationMs' | 'attempts' | 'event' | 'outcome' | 'outcomeReason'> &
  Partial<Pick<DeliveryRow, 'finishedAt' | 'durationMs' | 'attempts'>> &
  DeliveryMark

export type DeliveryPatch = Partial<
  Pick<DeliveryRow, 'status' | 'responseStatus' | 'responseBody' | 'error' | 'attempts' | 'nextAttemptAt' | 'finishedAt' | 'durationMs'>
> &
  DeliveryMark

/**
 * pending/sending: to deliver; delivered; dead: gave up (a dead letter, can be retried); discarded: a dead letter dropped
 * by an operator; carried: sent as a line of the digest named by `carriedBy`, never on its own.
 */
export type OutboxState = 'pending' | 'sending' | 'delivered' | 'dead' | 'discarded' | 'carried'

export interface OutboxRow {
  seq: number
  id: string
  chatKey: string
  /** The message as the plugin gave it, normalised (JSON-serialisable). */
  message: unknown
  plugin: string | null
  deliveryId: string | null
  state: OutboxState
  attempts: number
  nextAttemptAt: number
  createdAt: number
  updatedAt: number
  deliveredAt: number | null
  lastError: string | null
  /** The digest that carried this message (state carried), else null. */
  carriedBy: string | null
  /** A digest's place in its chat's order (its first member's), else null: the chat's order is position ?? seq. */
  position: number | null
}

/** A chat muted by an operator: its messages are held (never dropped) until `until`. */
export interface MuteRow {
  chatKey: string
  until: number
  createdAt: number
}

export type OutboxInsert = Pick<OutboxRow, 'id' | 'chatKey' | 'message' | 'plugin' | 'deliveryId' | 'createdAt'> & {
  /** Set for a message that can never be sent (its chat_key names no configured adapter): stored as a dead letter. */
  deadReason?: string
  /** The message's JSON text when the host produced it already: stored as is (else storage stringifies `message`). */
  messageJson?: string
}
export type OutboxPatch = Partial<Pick<OutboxRow, 'state' | 'attempts' | 'nextAttemptAt' | 'deliveredAt' | 'lastError'>>

export interface OutboxAttempt {
  messageId: string
  at: number
  ok: boolean
  httpStatus: number | null
  error: string | null
  durationMs: number
}

export interface WebMessageRow {
  seq: number
  room: string
  message: unknown
  createdAt: number
  outboxId: string | null
}

/** queued: waiting to run; running: a handler has it (or had it when the process died); the rest are final. */
export type TaskStatus = 'queued' | 'running' | 'completed' | 'failed' | 'interrupted'
/** retry: an interrupted or failed run is tried again (up to maxAttempts); fail: it is final. */
export type TaskPolicy = 'retry' | 'fail'

export interface TaskRow {
  seq: number
  id: string
  plugin: string
  kind: string
  params: unknown
  status: TaskStatus
  policy: TaskPolicy
  attempts: number
  maxAttempts: number
  /** 0 to 1. */
  progress: number
  progressMessage: string | null
  result: unknown
  error: string | null
  createdAt: number
  updatedAt: number
  startedAt: number | null
  finishedAt: number | null
  nextAttemptAt: number | null
}

export type TaskInsert = Pick<TaskRow, 'id' | 'plugin' | 'kind' | 'params' | 'policy' | 'maxAttempts' | 'createdAt'>
export type TaskPatch = Partial<
  Pick<TaskRow, 'status' | 'attempts' | 'progress' | 'progressMessage' | 'result' | 'error' | 'startedAt' | 'finishedAt' | 'nextAttemptAt'>
>

/** One write; a unit of several is applied atomically. */
export type WriteOp =
  /** Inserts a delivery; when its (plugin, route, dedupKey) exists already, the rest of the unit is skipped and the existing row returned. */
  | { op: 'delivery.insert'; delivery: DeliveryInsert }
  | { op: 'delivery.update'; id: string; patch: DeliveryPatch }
  /** Takes a failed sync delivery back to "received" for a new attempt (its sender redelivered it); changes is 1 when taken. */
  | { op: 'delivery.reclaim'; id: string; receivedAt: number }
  | { op: 'outbox.insert'; messages: OutboxInsert[] }
  | { op: 'outbox.update'; id: string; patch: OutboxPatch }
  | { op: 'outbox.attempt'; attempt: OutboxAttempt }
  /**
   * Replaces waiting messages of one chat by one digest: every member (pending, never tried) becomes carried by the
   * digest, which is inserted at the first member's place in the chat's order. A member that is not pending and
   * untried fails the unit (nothing changes), so that no message is both sent alone and carried.
   */
  | { op: 'outbox.digest'; digest: OutboxInsert; members: string[] }
  | { op: 'mute.set'; chatKey: string; until: number; createdAt: number }
  | { op: 'mute.delete'; chatKey: string }
  | { op: 'kv.set'; plugin: string; scope: string; key: string; value: string }
  | { op: 'kv.delete'; plugin: string; scope: string; key: string }
  /**
   * Compare-and-set: writes `value` only when the stored text is exactly `expected` (null: only when the key is absent);
   * changes is 1 when it was written, 0 when another writer changed the key first. Atomic across processes.
   */
  | { op: 'kv.cas'; plugin: string; scope: string; key: string; expected: string | null; value: string }
  | { op: 'pluginState.set'; plugin: string; enabled: boolean }
  | { op: 'web.insert'; room: string; message: unknown; outboxId: string | null; createdAt: number }
  | { op: 'deliveries.prune'; keep: number; olderThan: number }
  /** Deletes finished tasks (completed, failed, interrupted) beyond the newest `keep` and those created before `olderThan`. */
  | { op: 'tasks.prune'; keep: number; olderThan: number }
  /** Adds to the counters of refused requests (one row per plugin, route and reason). */
  | { op: 'refusals.add'; counts: RefusalCount[] }
  | { op: 'task.insert'; task: TaskInsert }
  | { op: 'task.update'; id: string; patch: TaskPatch }

export type WriteResult =
  | { ok: true; duplicate?: undefined; seq?: number; changes?: number }
  | { ok: true; duplicate: DeliveryRow; seq?: undefined; changes?: undefined }

/** Refused requests to one webhook for one reason (an error code), counted rather than stored one by one. */
export interface RefusalCount {
  plugin: string
  route: string
  reason: string
  /** HTTP status of the refusal. */
  status: number
  count: number
  firstAt: number
  lastAt: number
}

export interface DeliveryFilter {
  plugin?: string
  status?: DeliveryStatus
  since?: number
  until?: number
  /** Text to look for in the path and body. */
  text?: string
  /** The sender's event type, exactly (push, pull_request, firing, …). */
  event?: string
  outcome?: DeliveryOutcome
  /** Only rows with seq below this (paging backwards). */
  beforeSeq?: number
  limit?: number
}

export interface TaskFilter {
  plugin?: string
  status?: TaskStatus
  beforeSeq?: number
  limit?: number
}

export interface OutboxFilter {
  state?: OutboxState
  chatKey?: string
  /** The messages one delivery produced. */
  deliveryId?: string
  beforeSeq?: number
  limit?: number
}

export interface Storage {
  readonly kind: 'sqlite' | 'postgres'
  /** Work sharing between processes; absent when one process owns all the work (SQLite). */
  readonly coordinator?: import('./coordination.js').WorkCoordinator
  /** Opens connections and brings the schema up to date. */
  open(): Promise<void>
  close(): Promise<void>
  /** Applies pending migrations and says which ran. */
  migrate(): Promise<string[]>
  ping(): Promise<boolean>

  /** Applies the ops of one unit atomically, batched with other units into shared transactions (group commit). */
  write(unit: WriteOp[]): Promise<WriteResult[]>

  getDelivery(id: string): Promise<DeliveryRow | undefined>
  /** The delivery with this sender id; with `route`, only at that route (the dedup scope). */
  findDelivery(plugin: string, dedupKey: string, route?: string): Promise<DeliveryRow | undefined>
  /** Counters of refused requests, by plugin, route and reason; most refused first. */
  refusalCounts(plugin?: string): Promise<RefusalCount[]>
  listDeliveries(filter?: DeliveryFilter): Promise<DeliveryRow[]>
  /** Async deliveries not finished (queued or processing), oldest first: work to resume after a restart. */
  unfinishedDeliveries(limit: number, afterSeq?: number): Promise<DeliveryRow[]>

  getMessage(id: string): Promise<OutboxRow | undefined>
  listMessages(filter?: OutboxFilter): Promise<OutboxRow[]>
  /** Messages still to deliver (pending or sending), oldest first. */
  unfinishedMessages(limit: number, afterSeq?: number): Promise<OutboxRow[]>
  /** Undelivered messages per chat, for the chats asked about (chats without any are absent). */
  pendingCounts(chatKeys: string[]): Promise<Map<string, number>>
  /** One chat's undelivered messages after a sequence, oldest first (a queue that keeps only so many in memory pages on). */
  pendingForChat(chatKey: string, afterSeq: number, limit: number): Promise<OutboxRow[]>
  messageAttempts(id: string): Promise<OutboxAttempt[]>
  outboxCounts(): Promise<Record<OutboxState, number>>
  /** The messages a digest carried, in their order. */
  digestMembers(digestId: string): Promise<OutboxRow[]>
  /** Chats muted until a time after `now`, soonest first. */
  mutes(now: number): Promise<MuteRow[]>

  kvGet(plugin: string, scope: string, key: string): Promise<string | undefined>
  kvList(plugin: string, scope: string, prefix: string, limit?: number): Promise<Array<{ key: string; value: string }>>

  pluginStates(): Promise<Record<string, boolean>>

  webMessages(room: string, afterSeq?: number, limit?: number): Promise<WebMessageRow[]>
  webRooms(): Promise<Array<{ room: string; count: number; lastAt: number }>>

  getTask(id: string): Promise<TaskRow | undefined>
  /** Tasks, newest first. */
  listTasks(filter?: TaskFilter): Promise<TaskRow[]>
  /** Tasks not finished (queued or running), oldest first: work to resume after a restart. */
  unfinishedTasks(limit: number, afterSeq?: number): Promise<TaskRow[]>
}
