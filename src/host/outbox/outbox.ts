// The durable outbox: validates chat_keys, stores messages, and dispatches them in order per chat with retries.
import type { Logger } from '../../util/logger.js'
import { HookcatError } from '../../util/errors.js'
import { newId } from '../../util/ids.js'
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

  /** A validated outbox row for a message, not yet stored. */
  prepare(chatKey: string, input: MessageInput, origin: { plugin?: string; deliveryId?: string } = {}): OutboxInsert {
    this.resolve(chatKey)
    let message: Message
    try {
      message = normalizeMessage(input)
    } catch (error) {
      throw new HookcatError('VALIDATION_FAILED', `Invalid message: ${(error as Error).message}`)
    }
    return { id: newId(), chatKey, message, plugin: origin.plugin ?? null, deliveryId: origin.deliveryId ?? null, createdAt: this.now() }
  }

  /** Stores messages in their own transaction and dispatches them. */
  async store(rows: OutboxInsert[]): Promise<void> {
    if (rows.length === 0) return
    await this.deps.storage.write([{ op: 'outbox.insert', messages: rows }])
    this.enqueue(rows)
  }

  /** Dispatches messages that are already committed. */
  enqueue(rows: Array<OutboxInsert | OutboxRow>): void {
    for (const row of rows) {
      const queue = this.queueFor(row.chatKey)
      if (!queue) continue
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
      this.pump(queue)
    }
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
    this.chats.delete(queue.key)
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
    const global = this.globalBuckets.get(queue.adapter.name)
    const wait = Math.max(head.nextAttemptAt - now, queue.bucket?.delay(now) ?? 0, global?.delay(now) ?? 0)
    if (wait > 0) return this.schedule(queue, wait)
    // Every part takes a token, so that the parts of a split message are paced like separate messages.
    queue.bucket?.take(now)
    global?.take(now)
    queue.busy = true
    const run = this.attempt(queue, head).finally(() => {
      this.inflight.delete(run)
      queue.busy = false
      if (queue.items.length === 0 && !queue.timer) this.forgetChat(queue)
      else this.pump(queue)
    })
    this.inflight.add(run)
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
