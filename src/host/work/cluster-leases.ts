// Leases of a cluster (PostgreSQL): renewal, takeover of a dead process's work, one dispatcher per chat, fencing, shared pacing.
import type { Logger } from '../../util/logger.js'
import type { SharedRateLimit, WorkCoordinator } from '../../storage/coordination.js'
import type { OutboxInsert, OutboxRow, Storage, TaskRow } from '../../storage/types.js'
import type { ChatHandle, ChatSink, LeaseUsers, PaceLimit, WorkLeases } from './leases.js'

export interface ClusterLeasesDeps {
  coordinator: WorkCoordinator
  storage: Pick<Storage, 'pendingForChat'>
  logger: Logger
  /** Longest platform call: a chat sends only while its lease outlasts one. */
  sendTimeout: number
}

/** How often a process looks for work whose owner died, and for chats nobody dispatches. */
const SWEEP_MS = 1000
const PAGE = 200
const PAGES = 500
const CHAT_PAGE = 500
/** How often a delivery waiting for an earlier one of its ordering key (on another process) looks again. */
const ORDER_POLL_MS = 20

/**
 * A shared bucket that never lets more than `count` sends into any interval: a burst of one, refilled at
 * (count - 1) per interval (a bucket as large as the limit would let nearly twice the limit through).
 */
function strictShared(limit: PaceLimit): SharedRateLimit {
  return { count: Math.max(1, limit.count - 1), intervalMs: limit.intervalMs, burst: 1 }
}

export class ClusterLeases implements WorkLeases {
  private sink?: ChatSink
  private users?: LeaseUsers
  private timers: NodeJS.Timeout[] = []
  private unsubscribe?: () => void
  private stopped = false
  private sweeping = false
  /** The last sequence loaded per held chat. */
  private readonly loadedSeq = new Map<string, number>()
  /** Lease work per chat (load, release), run in order, so that a release never undoes a newer acquisition. */
  private readonly chatWork = new Map<string, Promise<void>>()
  /** Until when this process surely holds each chat's lease (counted from before the request that took or renewed it). */
  private readonly leaseUntil = new Map<string, number>()
  /** Which acquisition of a chat's lease this process holds: a renewal's answer about an older one is stale. */
  private readonly leaseGeneration = new Map<string, number>()
  private generations = 0
  private readonly refillQueued = new Set<string>()

  constructor(private readonly deps: ClusterLeasesDeps) {}

  bindChats(sink: ChatSink): void {
    this.sink = sink
  }

  /** Work is taken over by lease, never by reading everything at start-up. */
  async start(users: LeaseUsers): Promise<{ deliveries: number; messages: number }> {
    const { coordinator } = this.deps
    this.users = users
    this.unsubscribe = await coordinator.onMessages((chatKeys) => this.adopt(chatKeys))
    const deliveries = await this.sweep()
    this.every(Math.max(250, Math.floor(coordinator.leaseMs / 3)), () => this.renew())
    this.every(Math.min(SWEEP_MS, coordinator.leaseMs), async () => void (await this.sweep()))
    return { deliveries, messages: 0 }
  }

  stop(): void {
    this.stopped = true
    for (const timer of this.timers) clearInterval(timer)
    this.timers = []
    this.unsubscribe?.()
  }

  async *tasks(kinds: string[]): AsyncIterable<TaskRow[]> {
    if (kinds.length === 0) return
    for (let page = 0; page < PAGES; page++) {
      const rows = await this.deps.coordinator.claimExpiredTasks(kinds, PAGE)
      yield rows
      if (rows.length < PAGE) return
    }
  }

  committed(rows: Array<OutboxInsert | OutboxRow>): void {
    // The chat's dispatcher (maybe another process) loads them from storage, in commit order.
    this.adopt([...new Set(rows.map((r) => r.chatKey))])
  }

  /** An earlier delivery of the key, on any process, has not had its first attempt: this one waits for it. */
  async inOrder(deliveryId: string, orderingKey: string, committing: string[]): Promise<number> {
    return (await this.deps.coordinator.earlierInOrder(deliveryId, orderingKey, committing)) ? ORDER_POLL_MS : 0
  }

  /** Fencing: a process that stalled past its lease must not send beside the process that took the chat over. */
  fence(chatKey: string): number {
    const margin = Math.min(this.deps.sendTimeout, this.deps.coordinator.leaseMs / 2)
    return (this.leaseUntil.get(chatKey) ?? 0) - margin - Date.now() > 0 ? 0 : 100
  }

  /** Waits for tokens of the buckets all processes share (per chat and per adapter instance). */
  async pace(chat: ChatHandle): Promise<number> {
    const { coordinator } = this.deps
    const limits = chat.adapter.rateLimits
    let wait = 0
    if (limits?.perChat) wait = Math.max(wait, await coordinator.takeToken(`chat:${chat.key}`, strictShared(limits.perChat)))
    if (limits?.global) wait = Math.max(wait, await coordinator.takeToken(`adapter:${chat.adapter.name}`, strictShared(limits.global)))
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
    return 0
  }

  throttled(): void {}

  emptied(chatKey: string): void {
    // Nothing left to send: the chat goes back, so that whichever process next has a message for it takes it.
    this.forget(chatKey)
    this.serially(chatKey, async () => {
      // A load that ran since may have taken the chat again and queued messages: then it stays.
      if (!this.sink?.current(chatKey)) await this.deps.coordinator.releaseChat(chatKey)
    })
  }

  /** A chat no longer held: its maps shrink with it (a renewal that read the old generation sees none and skips it). */
  private forget(chatKey: string): void {
    this.loadedSeq.delete(chatKey)
    this.leaseUntil.delete(chatKey)
    this.leaseGeneration.delete(chatKey)
  }

  /** Takes each chat's dispatch when no live process has it, and loads its undelivered messages. */
  private adopt(chatKeys: string[]): void {
    for (const key of chatKeys) {
      // One load waiting per chat is enough: it reads everything committed up to when it runs.
      if (this.refillQueued.has(key)) continue
      this.refillQueued.add(key)
      this.serially(key, () => {
        this.refillQueued.delete(key)
        return this.refill(key)
      })
    }
  }

  private serially(key: string, work: () => Promise<void>): void {
    const previous = this.chatWork.get(key) ?? Promise.resolve()
    const next: Promise<void> = previous
      .then(work)
      .catch((error) => this.deps.logger.error({ chatKey: key, err: (error as Error).message }, 'chat lease work failed'))
      .finally(() => {
        if (this.chatWork.get(key) === next) this.chatWork.delete(key)
      })
    this.chatWork.set(key, next)
  }

  private async refill(key: string): Promise<void> {
    const { coordinator } = this.deps
    const sink = this.sink!
    if (this.stopped) return
    const asked = Date.now()
    if (!sink.current(key)) {
      if (!(await coordinator.acquireChat(key))) return
      this.leaseUntil.set(key, asked + coordinator.leaseMs)
      this.leaseGeneration.set(key, ++this.generations)
    }
    const chat = sink.open(key)
    if (!chat) {
      this.forget(key)
      return coordinator.releaseChat(key)
    }
    let after = this.loadedSeq.get(key) ?? 0
    for (;;) {
      const rows = await this.deps.storage.pendingForChat(key, after, CHAT_PAGE)
      if (sink.current(key) !== chat) {
        // The queue emptied and the chat is being given back while this load ran: load again after that, under a
        // new lease (or by whichever process takes the chat), never into the abandoned queue.
        this.adopt([key])
        return
      }
      chat.push(rows)
      if (rows.length > 0) after = rows[rows.length - 1].seq
      if (rows.length < CHAT_PAGE) break
    }
    this.loadedSeq.set(key, after)
    chat.settle()
  }

  private every(ms: number, work: () => Promise<void>): void {
    const timer = setInterval(() => {
      if (!this.stopped) void work().catch((error) => this.deps.logger.error({ err: (error as Error).message }, 'cluster work failed'))
    }, ms)
    timer.unref()
    this.timers.push(timer)
  }

  /** Extends this process's leases; chats lost meanwhile (this process stalled too long) are dropped. */
  private async renew(): Promise<void> {
    const since = Date.now()
    const held = new Map<string, number>()
    for (const key of this.sink?.chats() ?? []) held.set(key, this.leaseGeneration.get(key) ?? 0)
    const lost = new Set(await this.deps.coordinator.renew([...held.keys()], this.users?.heldTasks() ?? []))
    const until = since + this.deps.coordinator.leaseMs
    for (const [key, generation] of held) {
      // A chat given back and taken again since `held` was read is a new lease, not a lost one, and is kept.
      if (this.leaseGeneration.get(key) !== generation || !this.sink?.current(key)) continue
      if (!lost.has(key)) {
        this.leaseUntil.set(key, until)
        continue
      }
      this.sink.drop(key)
      this.forget(key)
      this.deps.logger.warn({ chatKey: key }, 'chat taken over by another process')
    }
  }

  /** Takes over deliveries and tasks whose lease expired (their process died) and adopts chats that no live process dispatches. */
  private async sweep(): Promise<number> {
    if (this.sweeping || !this.users) return 0
    this.sweeping = true
    let deliveries = 0
    try {
      const { coordinator, logger } = this.deps
      for (let page = 0; page < 20 && !this.stopped; page++) {
        const rows = await coordinator.claimExpiredDeliveries(PAGE)
        this.users.deliveries(rows)
        deliveries += rows.length
        if (rows.length) logger.info({ deliveries: rows.length }, 'took over deliveries of a process that stopped')
        if (rows.length < PAGE) break
      }
      const orphans = await coordinator.orphanChats(500)
      if (orphans.length) this.adopt(orphans)
      const tasks = await this.users.claimTasks()
      if (tasks) logger.info({ tasks }, 'took over tasks of a process that stopped')
    } finally {
      this.sweeping = false
    }
    return deliveries
  }
}
