// The contract for sharing work between several hookcat processes on one database (leases, chat ownership, shared rate limits).
import type { DeliveryRow, TaskRow } from './types.js'

export interface SharedRateLimit {
  /** Refilled at `count` tokens every `intervalMs`, across all processes. */
  count: number
  intervalMs: number
  /** Tokens the bucket holds at most (default: count). */
  burst?: number
}

/**
 * Present only on backends that several processes share (PostgreSQL). SQLite has none: its one process owns all work.
 * Async deliveries are leased to the process that accepted them; a chat's outbox is dispatched by one process at a time.
 */
export interface WorkCoordinator {
  /** This process's identity in leases. */
  readonly owner: string
  readonly leaseMs: number
  /** Extends this process's leases on its unfinished deliveries and tasks and on the chats it dispatches; answers the chats it lost. */
  renew(chatKeys: string[], taskIds?: string[]): Promise<string[]>
  /** Unfinished async deliveries whose lease ran out (their process died or stalled), now leased to this process. */
  claimExpiredDeliveries(limit: number): Promise<DeliveryRow[]>
  /** Unfinished tasks of the given kinds ("<plugin>\u001f<kind>") whose lease ran out, now leased to this process. */
  claimExpiredTasks(kinds: string[], limit: number): Promise<TaskRow[]>
  /**
   * True while an earlier delivery of this ordering key (by sequence) still waits for its first attempt, other than
   * `committing` (this process's, whose outcome is on its way to storage ahead of this one's).
   */
  earlierInOrder(deliveryId: string, orderingKey: string, committing: string[]): Promise<boolean>
  /** Takes the right to dispatch a chat; true when this process holds it now. */
  acquireChat(chatKey: string): Promise<boolean>
  releaseChat(chatKey: string): Promise<void>
  /** Chats with undelivered messages that no live process dispatches. */
  orphanChats(limit: number): Promise<string[]>
  /** Takes one token from a bucket shared by all processes; answers how long to wait before sending (0: now). */
  takeToken(key: string, limit: SharedRateLimit): Promise<number>
  /** Calls back with the chat_keys of messages committed by any process. */
  onMessages(listener: (chatKeys: string[]) => void): Promise<() => void>
}
