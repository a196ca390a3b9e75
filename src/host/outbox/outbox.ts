// The durable outbox: validates chat_keys, stores messages, and dispatches them in order per chat with retries.
import type { Logger } from '../../util/logger.js'
import { HookcatError } from '../../util/errors.js'
import { newId } from '../../util/ids.js'
import type { SharedRateLimit, WorkCoordinator } from '../../storage/coordination.js'
import type { OutboxInsert, OutboxRow, Storage } from '../../storage/types.js'
import type { HostEvents } from '../events.js'
import { normalizeMessage, type Message, type MessageInput } from '../messages.js'
import { SendError, type AdapterInstance, type RateLimit, type SendContext } from './adapter.js'
import { parseChatKey } from './chat-key.js'
import { RateWindow } from './rate-limit.js'

export interface OutboxSettings {
  maxAttempts: number
  maxAge: number
  backoffBase: number
  backoffMax: number
  sendTimeout: number
}

interface QueuedMessage {
  id: string
  chatKey: string
  message: Message
  plugin: string | null
  attempts: number
  nextAttemptAt: number
  createdAt: number
  /** Parts already delivered (a split message resumes after them); each one is an ok row in outbox_attempts. */
  partsSent: number
  /** The adapter's render() of the message, made once when its first part is due. */
  parts?: unknown[]
}

interface ChatQueue {
  key: string
  adapter: AdapterInstance
  channel: string
  items: QueuedMessage[]
  busy: boolean
  timer?: NodeJS.Timeout
  bucket?: RateWindow
}

export interface OutboxDeps {
  storage: Storage
  adapters: Map<string, AdapterInstance>
  settings: OutboxSettings
  logger: Logger
  events: HostEvents
  now?: () => number
  onAttempt?: (adapter: string, ok: boolean, seconds: number) => void
  /** A message delivered whole, `seconds` after it was stored. */
  onDelivered?: (adapter: string, seconds: number) => void
  /** A message kept as a dead letter. */
  onDead?: (adapter: string) => void
  /** Several processes share the storage: each chat is dispatched by the process holding its lease, paced by shared limits. */
  coordinator?: WorkCoordinator
}

/**
 * A shared bucket that never lets more than `count` sends into any interval: a burst of one, refilled at
 * (count - 1) per interval (a bucket as large as the limit would let nearly twice the limit through).
 */
function strictShared(limit: RateLimit): SharedRateLimit {
  return { count: Math.max(1, limit.count - 1), intervalMs: limit.intervalMs, burst: 1 }
}

/** Exponential backoff with equal jitter: half fixed, half random, so retries of many messages spread out. */
export function backoffDelay(attempt: number, base: number, max: number, random = Math.random): number {
  const ceiling = Math.min(max, base * 2 ** Math.max(0, attempt - 1))
  return Math.round(ceiling / 2 + (ceiling / 2) * random())
}

export class Outbox {
  private readonly chats = new Map<string, ChatQueue>()
  private readonly globalBuckets = new Map<string, RateWindow>()
  /** Per-chat windows outlive their queue, so that a chat that empties and refills is still paced. */
  private readonly chatWindows = new Map<string, RateWindow>()
  private readonly inflight = new Set<Promise<void>>()
  /** Several processes: the last sequence loaded per held chat, and loads in progress. */
  private readonly loadedSeq = new Map<string, number>()
  private readonly chatWork = new Map<string, Promise<void>>()
  /** Until when this process surely holds each chat's lease (counted from before the request that took or renewed it). */
  private readonly leaseUntil = new Map<string, number>()
  /** Which acquisition of a chat's lease this process holds: a renewal's answer about an older one is stale. */
  private readonly leaseGeneration = new Map<string, number>()
  private generations = 0
  private readonly refillQueued = new Set<string>()
  private held = false
  private stopped = false
  private readonly now: () => number

  constructor(private readonly deps: OutboxDeps) {
    this.now = deps.now ?? Date.now
  }

  /** Checks a chat_key against the configured adapters; throws INVALID_CHAT_KEY naming the problem. */
  resolve(chatKey: string): { adapter: AdapterInstance; channel: string } {
    const { adapter: name, channel } = parseChatKey(chatKey)
    const adapter = this.deps.adapters.get(name)
    if (!adapter) {
      const known = [...this.deps.adapters.keys()].join(', ')
      throw new HookcatError('INVALID_CHAT_KEY', `chat_key "${chatKey.slice(0, 120)}" names adapter "${name}", which is not configured (configured: ${known})`)
    }
    const problem = adapter.checkChannel?.(channel)
    if (problem) throw new HookcatError('INVALID_CHAT_KEY', `chat_key "${chatKey.slice(0, 120)}": ${problem}`)
    return { adapter, channel }
  }

  /** What is wrong with a chat_key, or undefined when messages to it can be sent. */
  problemWith(chatKey: string): string | undefined {
    try {
      this.resolve(chatKey)
      return undefined
    } catch (error) {
      return (error as Error).message
    }
  }

  /** A validated outbox row for a message, not yet stored. */
  prepare(chatKey: string, input: MessageInput, origin: { plugin?: string; deliveryId?: string } = {}, options: { deadIfUndeliverable?: boolean } = {}): OutboxInsert {
    // A chat_key that cannot be delivered to throws, or (when asked) becomes a dead letter: its fellow chats still get theirs.
    const deadReason = options.deadIfUndeliverable ? this.problemWith(chatKey) : (this.resolve(chatKey), undefined)
    let message: Message
    try {
      message = normalizeMessage(input)
    } catch (error) {
      throw new HookcatError('VALIDATION_FAILED', `Invalid message: ${(error as Error).message}`)
    }
    const row: OutboxInsert = { id: newId(), chatKey, message, plugin: origin.plugin ?? null, deliveryId: origin.deliveryId ?? null, createdAt: this.now() }
    if (deadReason) row.deadReason = deadReason
    return row
  }

  /** Stores messages in their own transaction and dispatches them. */
  async store(rows: OutboxInsert[]): Promise<void> {
    if (rows.length === 0) return
    await this.deps.storage.write([{ op: 'outbox.insert', messages: rows }])
    this.enqueue(rows)
  }

  /** Dispatches messages that are already committed. */
  enqueue(rows: Array<OutboxInsert | OutboxRow>): void {
    if (this.deps.coordinator) {
      // Several processes: the chat's dispatcher (maybe another process) loads them from storage, in commit order.
      if (rows.length) this.adopt([...new Set(rows.map((r) => r.chatKey))])
      return
    }
    for (const row of rows) {
      if ((row as OutboxInsert).deadReason) continue
      const queue = this.queueFor(row.chatKey)
      if (!queue) continue
      this.push(queue, row)
      this.pump(queue)
    }
  }

  private push(queue: ChatQueue, row: OutboxInsert | OutboxRow): void {
    queue.items.push({
      id: row.id,
      chatKey: row.chatKey,
      message: row.message as Message,
      plugin: row.plugin,
      attempts: 'attempts' in row ? row.attempts : 0,
      nextAttemptAt: 'nextAttemptAt' in row ? row.nextAttemptAt : row.createdAt,
      createdAt: row.createdAt,
      partsSent: (row as { partsSent?: number }).partsSent ?? 0,
    })
  }

  /** Several processes: takes each chat's dispatch when no live process has it, and loads its undelivered messages. */
  adopt(chatKeys: string[]): void {
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

  /** Runs lease work for one chat in order (load, release), so that a release never undoes a newer acquisition. */
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

  /** Chats this process dispatches now (their leases must be renewed), with the acquisition each lease came from. */
  heldChats(): Map<string, number> {
    const held = new Map<string, number>()
    for (const key of this.chats.keys()) held.set(key, this.leaseGeneration.get(key) ?? 0)
    return held
  }

  /** The leases of these chats were renewed by a request sent at `since`. */
  leasesRenewed(held: Map<string, number>, lost: string[], since: number): void {
    const until = since + this.deps.coordinator!.leaseMs
    const gone = new Set(lost)
    for (const [key, generation] of held) {
      if (!gone.has(key) && this.chats.has(key) && this.leaseGeneration.get(key) === generation) this.leaseUntil.set(key, until)
    }
  }

  /**
   * Leases lost (this process stalled too long): another process dispatches these chats now. A chat given back and
   * taken again since `held` was read is a new lease, not a lost one, and is kept.
   */
  dropChats(chatKeys: string[], held: Map<string, number>): void {
    for (const key of chatKeys) {
      const queue = this.chats.get(key)
      if (!queue || this.leaseGeneration.get(key) !== held.get(key)) continue
      if (queue.timer) clearTimeout(queue.timer)
      queue.items.length = queue.busy ? 1 : 0
      this.chats.delete(key)
      this.loadedSeq.delete(key)
      this.leaseUntil.delete(key)
      this.deps.logger.warn({ chatKey: key }, 'chat taken over by another process')
    }
  }

  private async refill(key: string): Promise<void> {
    const coordinator = this.deps.coordinator!
    if (this.stopped) return
    const asked = Date.now()
    if (!this.chats.has(key)) {
      if (!(await coordinator.acquireChat(key))) return
      this.leaseUntil.set(key, asked + coordinator.leaseMs)
      this.leaseGeneration.set(key, ++this.generations)
    }
    const queue = this.queueFor(key)
    if (!queue) return coordinator.releaseChat(key)
    const queued = new Set(queue.items.map((item) => item.id))
    let after = this.loadedSeq.get(key) ?? 0
    for (;;) {
      const rows = await this.withPartsSent(await coordinator.pendingForChat(key, after, 500))
      if (this.chats.get(key) !== queue) {
        // The queue emptied and the chat is being given back while this load ran: load again after that, under a
        // new lease (or by whichever process takes the chat), never into the abandoned queue.
        this.adopt([key])
        return
      }
      for (const row of rows) if (!queued.has(row.id)) this.push(queue, row)
      if (rows.length > 0) after = rows[rows.length - 1].seq
      if (rows.length < 500) break
    }
    this.loadedSeq.set(key, after)
    if (queue.items.length === 0 && !queue.busy && !queue.timer) this.forgetChat(queue)
    else this.pump(queue)
  }

  /** Loads every undelivered message after a restart, in order. */
  async start(): Promise<number> {
    let after = 0
    let count = 0
    for (;;) {
      const rows = await this.deps.storage.unfinishedMessages(1000, after)
      if (rows.length === 0) break
      this.enqueue(await this.withPartsSent(rows))
      count += rows.length
      after = rows[rows.length - 1].seq
    }
    return count
  }

  /** Sends a dead letter again from the start (attempts reset); returns false when the message is not dead. */
  async retry(id: string): Promise<boolean> {
    const row = await this.deps.storage.getMessage(id)
    if (!row || (row.state !== 'dead' && row.state !== 'discarded')) return false
    const now = this.now()
    // Parts that went through before it died are not sent again; its failures start from zero (attempts = parts sent).
    const [fresh] = await this.withPartsSent([row])
    const attempts = fresh.partsSent
    await this.deps.storage.write([{ op: 'outbox.update', id, patch: { state: 'pending', attempts, nextAttemptAt: now, lastError: null } }])
    this.enqueue([{ ...fresh, state: 'pending', attempts, nextAttemptAt: now }])
    this.deps.events.emit('message', { id, chatKey: row.chatKey, state: 'pending', attempts })
    return true
  }

  /** Drops a dead letter for good (kept as discarded for the record); returns false when the message is not dead. */
  async discard(id: string): Promise<boolean> {
    const row = await this.deps.storage.getMessage(id)
    if (!row || row.state !== 'dead') return false
    await this.deps.storage.write([{ op: 'outbox.update', id, patch: { state: 'discarded' } }])
    this.deps.events.emit('message', { id, chatKey: row.chatKey, state: 'discarded', attempts: row.attempts })
    return true
  }

  /** Maintenance: keep messages stored but send none until release(). */
  hold(): void {
    this.held = true
  }

  release(): void {
    this.held = false
    for (const queue of this.chats.values()) this.pump(queue)
  }

  get isHeld(): boolean {
    return this.held
  }

  /** Messages waiting in memory (all chats). */
  get depth(): number {
    let n = 0
    for (const q of this.chats.values()) n += q.items.length
    return n
  }

  /** Messages waiting in memory per adapter instance, for /metrics. */
  depthByAdapter(): Map<string, number> {
    const out = new Map<string, number>()
    for (const name of this.deps.adapters.keys()) out.set(name, 0)
    for (const q of this.chats.values()) out.set(q.adapter.name, (out.get(q.adapter.name) ?? 0) + q.items.length)
    return out
  }

  /** Parts of a split message already delivered are its ok attempts: counted from storage for messages that were tried. */
  private async withPartsSent(rows: OutboxRow[]): Promise<Array<OutboxRow & { partsSent: number }>> {
    const out: Array<OutboxRow & { partsSent: number }> = []
    for (const row of rows) {
      const partsSent = row.attempts > 0 ? (await this.deps.storage.messageAttempts(row.id)).filter((a) => a.ok).length : 0
      out.push({ ...row, partsSent })
    }
    return out
  }

  async stop(timeoutMs = 5000): Promise<void> {
    this.stopped = true
    for (const queue of this.chats.values()) if (queue.timer) clearTimeout(queue.timer)
    const pending = Promise.allSettled([...this.inflight])
    await Promise.race([pending, new Promise((r) => setTimeout(r, timeoutMs).unref())])
  }

  /** Re-checks every waiting chat against the injected clock now (a test clock that jumped ahead calls this). */
  wake(): void {
    for (const queue of this.chats.values()) {
      if (queue.timer) clearTimeout(queue.timer)
      queue.timer = undefined
      if (queue.items.length === 0 && !queue.busy) this.chats.delete(queue.key)
      else this.pump(queue)
    }
  }

  private queueFor(chatKey: string): ChatQueue | undefined {
    let queue = this.chats.get(chatKey)
    if (queue) return queue
    let resolved
    try {
      resolved = this.resolve(chatKey)
    } catch (error) {
      // An adapter removed from the config since the message was stored: it stays pending until the adapter is back.
      this.deps.logger.warn({ chatKey, err: (error as Error).message }, 'outbox message for an unknown adapter is held')
      return undefined
    }
    const limits = resolved.adapter.rateLimits
    queue = {
      key: chatKey,
      adapter: resolved.adapter,
      channel: resolved.channel,
      items: [],
      busy: false,
      bucket: limits?.perChat ? this.chatWindow(chatKey, limits.perChat) : undefined,
    }
    if (limits?.global && !this.globalBuckets.has(resolved.adapter.name)) {
      this.globalBuckets.set(resolved.adapter.name, new RateWindow(limits.global, this.now()))
    }
    this.chats.set(chatKey, queue)
    return queue
  }

  private chatWindow(chatKey: string, limit: RateLimit): RateWindow {
    let window = this.chatWindows.get(chatKey)
    if (!window) {
      window = new RateWindow(limit, this.now())
      this.chatWindows.set(chatKey, window)
    }
    return window
  }

  private forgetChat(queue: ChatQueue): void {
    // A queue replaced since (its chat given back and taken again) must not remove its successor.
    if (this.chats.get(queue.key) !== queue) return
    this.chats.delete(queue.key)
    if (this.deps.coordinator) {
      // Nothing left to send: the chat goes back, so that whichever process next has a message for it takes it.
      this.loadedSeq.delete(queue.key)
      this.leaseUntil.delete(queue.key)
      const coordinator = this.deps.coordinator
      this.serially(queue.key, async () => {
        // A load that ran since may have taken the chat again and queued messages: then it stays.
        if (!this.chats.has(queue.key)) await coordinator.releaseChat(queue.key)
      })
    }
    if (queue.bucket?.idle(this.now())) this.chatWindows.delete(queue.key)
    // Bounded: windows of chats gone quiet are dropped once there are many.
    if (this.chatWindows.size > 10_000) for (const [key, w] of this.chatWindows) if (!this.chats.has(key) && w.idle(this.now())) this.chatWindows.delete(key)
  }

  private schedule(queue: ChatQueue, delay: number): void {
    if (queue.timer) clearTimeout(queue.timer)
    queue.timer = setTimeout(() => {
      queue.timer = undefined
      this.pump(queue)
    }, Math.max(1, delay))
  }

  private pump(queue: ChatQueue): void {
    if (queue.busy || this.stopped || this.held || queue.items.length === 0) return
    const head = queue.items[0]
    const now = this.now()
    const shared = this.deps.coordinator
    // A queue no longer registered for its chat (given back, or taken over by another process) sends nothing more.
    if (shared && this.chats.get(queue.key) !== queue) return
    if (shared) {
      // Fencing: send only while the lease surely outlasts the send, so that a process that stalled past its lease
      // does not send beside the process that took the chat over.
      const margin = Math.min(this.deps.settings.sendTimeout, shared.leaseMs / 2)
      const left = (this.leaseUntil.get(queue.key) ?? 0) - margin - Date.now()
      if (left <= 0) return this.schedule(queue, 100)
    }
    const global = shared ? undefined : this.globalBuckets.get(queue.adapter.name)
    const local = shared ? undefined : queue.bucket
    const wait = Math.max(head.nextAttemptAt - now, local?.delay(now) ?? 0, global?.delay(now) ?? 0)
    if (wait > 0) return this.schedule(queue, wait)
    // Every part takes a token, so that the parts of a split message are paced like separate messages.
    local?.take(now)
    global?.take(now)
    queue.busy = true
    const paced = shared ? this.sharedPace(shared, queue) : Promise.resolve()
    const run = paced.then(() => this.attempt(queue, head)).finally(() => {
      this.inflight.delete(run)
      queue.busy = false
      if (queue.items.length === 0 && !queue.timer) this.forgetChat(queue)
      else this.pump(queue)
    })
    this.inflight.add(run)
  }

  /** Several processes: waits for tokens of the buckets all processes share (per chat and per adapter instance). */
  private async sharedPace(coordinator: WorkCoordinator, queue: ChatQueue): Promise<void> {
    const limits = queue.adapter.rateLimits
    let wait = 0
    if (limits?.perChat) wait = Math.max(wait, await coordinator.takeToken(`chat:${queue.key}`, strictShared(limits.perChat)))
    if (limits?.global) wait = Math.max(wait, await coordinator.takeToken(`adapter:${queue.adapter.name}`, strictShared(limits.global)))
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
  }

  private async attempt(queue: ChatQueue, item: QueuedMessage): Promise<void> {
    const started = this.now()
    const attempt = item.attempts + 1
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(new Error('send timed out')), this.deps.settings.sendTimeout)
    let failure: SendError | undefined
    let lastPart = true
    try {
      const context: SendContext = { messageId: item.id, attempt, signal: controller.signal, plugin: item.plugin }
      if (queue.adapter.render) {
        item.parts ??= this.render(queue, item)
        const index = Math.min(item.partsSent, item.parts.length - 1)
        Object.assign(context, { part: index, parts: item.parts.length, payload: item.parts[index] })
        lastPart = index === item.parts.length - 1
      }
      await queue.adapter.send(queue.channel, item.message, context)
    } catch (error) {
      failure =
        error instanceof SendError
          ? error
          : new SendError(controller.signal.aborted ? 'send timed out' : (error as Error)?.message ?? String(error), { retryable: true, cause: error })
    } finally {
      clearTimeout(timer)
    }
    const finished = this.now()
    const durationMs = finished - started
    this.deps.onAttempt?.(queue.adapter.name, !failure, durationMs / 1000)
    const record = { messageId: item.id, at: started, ok: !failure, httpStatus: failure?.httpStatus ?? null, error: failure?.message ?? null, durationMs }
    if (!failure && !lastPart) {
      // A part went through: recorded as an ok attempt, so that a restart resumes after it.
      item.attempts = attempt
      item.partsSent++
      await this.persist(item, [
        { op: 'outbox.update', id: item.id, patch: { attempts: attempt, lastError: null } },
        { op: 'outbox.attempt', attempt: record },
      ])
      return
    }
    if (!failure) {
      await this.persist(item, [
        { op: 'outbox.update', id: item.id, patch: { state: 'delivered', attempts: attempt, deliveredAt: finished, lastError: null } },
        { op: 'outbox.attempt', attempt: record },
      ])
      queue.items.shift()
      this.deps.onDelivered?.(queue.adapter.name, (finished - item.createdAt) / 1000)
      this.deps.events.emit('message', { id: item.id, chatKey: item.chatKey, state: 'delivered', attempts: attempt })
      return
    }
    const { maxAttempts, maxAge, backoffBase, backoffMax } = this.deps.settings
    const expired = finished - item.createdAt >= maxAge
    // Only failures count towards maxAttempts: the ok attempts are parts that went through.
    const failures = attempt - item.partsSent
    if (!failure.retryable || failures >= maxAttempts || expired) {
      await this.persist(item, [
        { op: 'outbox.update', id: item.id, patch: { state: 'dead', attempts: attempt, lastError: failure.message } },
        { op: 'outbox.attempt', attempt: record },
      ])
      queue.items.shift()
      this.deps.onDead?.(queue.adapter.name)
      this.deps.logger.warn({ messageId: item.id, chatKey: item.chatKey, attempts: attempt, err: failure.message }, 'message kept as a dead letter')
      this.deps.events.emit('message', { id: item.id, chatKey: item.chatKey, state: 'dead', attempts: attempt, error: failure.message })
      return
    }
    let delay: number
    if (failure.retryAfterMs !== undefined) {
      // The platform said how long to wait: exactly that (plus a little jitter so chats do not return at once),
      // and the chat's tokens are spent so that what follows is paced again from there.
      delay = Math.min(failure.retryAfterMs, maxAge) + Math.round(Math.random() * Math.min(1000, 50 + failure.retryAfterMs * 0.05))
      queue.bucket?.drain(finished)
    } else delay = backoffDelay(failures, backoffBase, backoffMax)
    item.attempts = attempt
    item.nextAttemptAt = finished + delay
    await this.persist(item, [
      { op: 'outbox.update', id: item.id, patch: { attempts: attempt, nextAttemptAt: item.nextAttemptAt, lastError: failure.message } },
      { op: 'outbox.attempt', attempt: record },
    ])
    this.deps.events.emit('message', { id: item.id, chatKey: item.chatKey, state: 'pending', attempts: attempt, error: failure.message })
  }

  /** The adapter's parts for a message; a message it cannot render is a dead letter, not a crash loop. */
  private render(queue: ChatQueue, item: QueuedMessage): unknown[] {
    try {
      const parts = queue.adapter.render!(queue.channel, item.message)
      if (parts.length === 0) throw new Error('the adapter rendered no part')
      return parts
    } catch (error) {
      throw error instanceof SendError ? error : new SendError(`cannot render the message: ${(error as Error).message}`, { retryable: false, cause: error })
    }
  }

  private async persist(item: QueuedMessage, unit: Parameters<Storage['write']>[0]): Promise<void> {
    try {
      await this.deps.storage.write(unit)
    } catch (error) {
      // The platform has the message but the record did not commit: it may be sent again after a restart (at-least-once).
      this.deps.logger.error({ messageId: item.id, err: (error as Error).message }, 'could not record a send attempt')
    }
  }
}
