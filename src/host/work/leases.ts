// The lease layer: which process may run which durable work. One process (SQLite) holds everything; a cluster (PostgreSQL) leases it.
import type { DeliveryRow, OutboxInsert, OutboxRow, TaskRow } from '../../storage/types.js'

/** At most `count` sends every `intervalMs` (a platform's documented limit). */
export interface PaceLimit {
  count: number
  intervalMs: number
}

/** One chat's queue in the outbox, as the lease layer sees it. */
export interface ChatHandle {
  readonly key: string
  /** The adapter instance's name (shared pacing key) and its platform limits. */
  readonly adapter: { readonly name: string; readonly rateLimits?: { perChat?: PaceLimit; global?: PaceLimit } }
  /** Queues committed messages not queued yet, oldest first, and dispatches them. */
  push(rows: Array<OutboxInsert | OutboxRow>): void
  /** Messages in the queue (in memory) now. */
  readonly size: number
  /** Closes the queue when it has nothing left, else dispatches what it has. */
  settle(): void
}

/** What the outbox offers the lease layer: its chat queues. */
export interface ChatSink {
  /** The chat's queue, opened when needed; undefined when its adapter is not configured (the messages stay stored). */
  open(chatKey: string): ChatHandle | undefined
  /** The chat's queue now, if it has one (a queue replaced since is not it). */
  current(chatKey: string): ChatHandle | undefined
  /** Chats with a queue in this process. */
  chats(): Iterable<string>
  /** Messages in memory in all queues. */
  depth(): number
  /** Another process dispatches this chat now: its queue is dropped unsent (the send in flight, if any, finishes). */
  drop(chatKey: string): void
}

/** The durable work of this process, as the lease layer drives it (taking over, renewing). */
export interface LeaseUsers {
  /** Async deliveries to run (resumed or taken over). */
  deliveries(rows: DeliveryRow[]): void
  /** Takes up the unfinished tasks the leases hand over (via WorkLeases.tasks); answers how many. */
  claimTasks(): Promise<number>
  /** Tasks this process runs or waits to run. */
  heldTasks(): string[]
  /** One process at start: every undelivered message, and every unfinished async delivery, found in storage. */
  resumeMessages(): Promise<number>
  resumeDeliveries(): Promise<number>
}

export interface WorkLeases {
  /** Starts taking work: one process resumes all stored work; a cluster takes what no live process holds, and keeps at it. */
  start(users: LeaseUsers): Promise<{ deliveries: number; messages: number }>
  stop(): void
  /** Unfinished tasks of these kinds ("<plugin>\u001f<kind>") for this process: all of them (one process) or the expired ones, now leased here. */
  tasks(kinds: string[]): AsyncIterable<TaskRow[]>
  /**
   * Ms before the first attempt of a delivery with an ordering key may run (0: now). One process orders its own work
   * (the inbox's lines); a cluster waits while an earlier delivery of the key, other than `committing`, is untried.
   */
  inOrder(deliveryId: string, orderingKey: string, committing: string[]): number | Promise<number>
  /** Messages were committed: one process queues them at once; a cluster loads each chat under its lease, in commit order. */
  committed(rows: Array<OutboxInsert | OutboxRow>): void
  /** Milliseconds before this chat may send (0: now): a cluster sends only while its lease surely outlasts the send. */
  fence(chatKey: string): number
  /**
   * Paces one send of a chat by the platform's limits: 0 when it may go now (its tokens taken), else the ms to wait
   * before asking again (nothing taken).
   */
  pace(chat: ChatHandle, now: number): number | Promise<number>
  /** The platform refused for rate: what follows on this chat is paced again from now. */
  throttled(chat: ChatHandle, now: number): void
  /** The chat's queue is empty and closed. */
  emptied(chatKey: string, now: number): void
  /** Binds the outbox's chat queues (done once, by the outbox). */
  bindChats(sink: ChatSink): void
}
