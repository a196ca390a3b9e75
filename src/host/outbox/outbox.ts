// The durable outbox: validates chat_keys, stores messages, and dispatches them in order per chat with retries.
import { HookcatError } from '../../util/errors.js'
import { newId } from '../../util/ids.js'
import type { OutboxInsert, OutboxRow } from '../../storage/types.js'
import { normalizeMessageJson, type Message, type MessageInput } from '../messages.js'
import { WorkQueue, type RunOutcome } from '../work/queue.js'
import type { AdapterInstance } from './adapter.js'
import { parseChatKey } from './chat-key.js'
import { sendHead, type ChatQueue, type QueuedMessage, type SendDeps } from './send.js'
import { chatRules } from './digest.js'
import { ChatShaper } from './shaping.js'
import { insertInOrder, markAnswer, toQueued } from './queued.js'
import { discardDead, partsSent, retryDead } from './dead-letters.js'

export type { OutboxSettings } from './send.js'

/** The leases decide which process dispatches which chat, and how sends are paced (in memory, or shared by a cluster). */
export interface OutboxDeps extends Omit<SendDeps, 'now'> {
  adapters: Map<string, AdapterInstance>
  now?: () => number
}

export class Outbox {
  private readonly chats = new Map<string, ChatQueue>()
  /** One entry per chat: a chat sends one message at a time, in order, when its head is due and its pacing allows. */
  private readonly queue: WorkQueue<ChatQueue>
  private held = false
  private readonly now: () => number
  private readonly sendDeps: SendDeps
  /** Mutes, quiet hours and digests (outbox/shaping.ts). */
  private readonly shaper: ChatShaper

  constructor(private readonly deps: OutboxDeps) {
    this.now = deps.now ?? Date.now
    this.sendDeps = { ...deps, now: this.now }
    this.shaper = new ChatShaper({ storage: deps.storage, logger: deps.logger, events: deps.events, chats: deps.settings.chats, now: this.now })
    this.queue = new WorkQueue<ChatQueue>({ name: 'outbox', logger: deps.logger, now: this.now, run: (chat) => this.run(chat) })
    deps.leases.bindChats({
      open: (key) => this.queueFor(key),
      current: (key) => this.chats.get(key),
      chats: () => this.chats.keys(),
      depth: () => this.depth,
      drop: (key) => this.drop(key),
    })
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
  prepare(chatKey: string, input: MessageInput, origin: { plugin?: string; deliveryId?: string } = {}, options: { deadIfUndeliverable?: boolean; answer?: boolean } = {}): OutboxInsert {
    // A chat_key that cannot be delivered to throws, or (when asked) becomes a dead letter: its fellow chats still get theirs.
    const deadReason = options.deadIfUndeliverable ? this.problemWith(chatKey) : (this.resolve(chatKey), undefined)
    let normal: { message: Message; json: string }
    try {
      normal = normalizeMessageJson(input)
    } catch (error) {
      throw new HookcatError('VALIDATION_FAILED', `Invalid message: ${(error as Error).message}`)
    }
    // Only the host marks an answer (ctx.reply()): a plugin's own send() may not pass a mute that way.
    if (options.answer || normal.message.answer) normal = markAnswer(normal.message, options.answer === true)
    const { message, json } = normal
    const row: OutboxInsert = { id: newId(), chatKey, message, messageJson: json, plugin: origin.plugin ?? null, deliveryId: origin.deliveryId ?? null, createdAt: this.now() }
    if (deadReason) row.deadReason = deadReason
    return row
  }

  /** Stores messages in their own transaction and dispatches them. */
  async store(rows: OutboxInsert[]): Promise<void> {
    if (rows.length === 0) return
    await this.deps.storage.write([{ op: 'outbox.insert', messages: rows }])
    this.enqueue(rows)
  }

  /** Dispatches messages that are already committed (by whichever process holds their chat). */
  enqueue(rows: Array<OutboxInsert | OutboxRow>): void {
    // A row already dead at insert (its chat cannot be delivered to) is kept for the record, never dispatched.
    const live = rows.filter((row) => !(row as OutboxInsert).deadReason)
    if (live.length) this.deps.leases.committed(live)
  }

  /** Loads every undelivered message after a restart, in order (one process). */
  async start(): Promise<number> {
    await this.shaper.load()
    let after = 0
    let count = 0
    for (;;) {
      const rows = await this.deps.storage.unfinishedMessages(1000, after)
      if (rows.length === 0) break
      this.enqueue(rows)
      count += rows.length
      after = rows[rows.length - 1].seq
    }
    return count
  }

  /** Sends a dead letter again from the start (attempts reset); returns false when the message is not dead. */
  async retry(id: string): Promise<boolean> {
    const row = await retryDead(this.deps, id, this.now())
    if (row) this.enqueue([row])
    return row !== undefined
  }

  /** Drops a dead letter for good (kept as discarded for the record); returns false when the message is not dead. */
  discard(id: string): Promise<boolean> {
    return discardDead(this.deps, id)
  }

  /** Mutes a chat until `until` (ms on the injected clock): its messages are held, never dropped, then sent as a digest. */
  async mute(chatKey: string, until: number): Promise<{ chatKey: string; until: number; held: number }> {
    this.resolve(chatKey)
    if (!Number.isFinite(until) || until <= this.now()) throw new HookcatError('VALIDATION_FAILED', 'a mute must end in the future')
    await this.shaper.mute(chatKey, until)
    return { chatKey, until, held: await this.heldCount(chatKey) }
  }

  /** Mutes a chat for `ms` from now. */
  muteFor(chatKey: string, ms: number): Promise<{ chatKey: string; until: number; held: number }> {
    return this.mute(chatKey, this.now() + ms)
  }

  /** Ends a chat's mute (false when it was not muted); what it held is sent now, as a digest. */
  async unmute(chatKey: string): Promise<boolean> {
    const was = await this.shaper.unmute(chatKey)
    const chat = this.chats.get(chatKey)
    if (chat) this.queue.poke(chat.key, chat.adapter.name, chat, 0)
    return was
  }

  /** Chats muted now, with the messages each holds (stored, so a backlog beyond what is in memory counts too). */
  async mutes(): Promise<Array<{ chatKey: string; until: number; createdAt: number; held: number }>> {
    const mutes = this.shaper.mutes()
    const held = mutes.length ? await this.deps.storage.pendingCounts(mutes.map((m) => m.chatKey)) : new Map<string, number>()
    return mutes.map((m) => ({ ...m, held: held.get(m.chatKey) ?? 0 }))
  }

  /** When the chat's mute ends (ms), or undefined when it is not muted. */
  mutedUntil(chatKey: string): number | undefined {
    return this.shaper.mutes().find((m) => m.chatKey === chatKey)?.until
  }

  /** The time zone of a chat's quiet hours, when configured: the one its people read times in. */
  timeZoneOf(chatKey: string): string | undefined {
    const { adapter } = this.resolve(chatKey)
    return chatRules(this.deps.settings.chats, chatKey, adapter).quiet?.timeZone
  }

  /** Messages of a chat not sent yet (those a mute or quiet hours hold), counted in storage. */
  async heldCount(chatKey: string): Promise<number> {
    return (await this.deps.storage.pendingCounts([chatKey])).get(chatKey) ?? 0
  }

  /** Maintenance: keep messages stored but send none until release(). */
  hold(): void {
    this.held = true
  }

  release(): void {
    this.held = false
    for (const chat of this.chats.values()) this.dispatch(chat)
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

  stop(timeoutMs = 5000): Promise<void> {
    return this.queue.stop(timeoutMs)
  }

  /** Re-checks every waiting chat against the injected clock now (a test clock that jumped ahead calls this). */
  wake(): void {
    this.queue.wake()
  }

  /** Parts of a split message already delivered are its ok attempts, counted from storage for a message that was tried. */
  private partsSent(id: string, attempts: number): Promise<number> {
    return partsSent(this.deps.storage, id, attempts)
  }

  private queueFor(chatKey: string): ChatQueue | undefined {
    const existing = this.chats.get(chatKey)
    if (existing) return existing
    let resolved
    try {
      resolved = this.resolve(chatKey)
    } catch (error) {
      // An adapter removed from the config since the message was stored: it stays pending until the adapter is back.
      this.deps.logger.warn({ chatKey, err: (error as Error).message }, 'outbox message for an unknown adapter is held')
      return undefined
    }
    const chat: ChatQueue = {
      key: chatKey,
      adapter: resolved.adapter,
      channel: resolved.channel,
      items: [],
      ids: new Set(),
      get size() {
        return chat.items.length
      },
      push: (rows) => {
        for (const row of rows) {
          if (chat.ids.has(row.id)) continue
          chat.ids.add(row.id)
          insertInOrder(chat.items, toQueued(row))
        }
        this.dispatch(chat)
      },
      settle: () => {
        if (chat.items.length > 0) this.dispatch(chat)
        else if (!this.queue.has(chatKey)) this.close(chat)
      },
    }
    this.chats.set(chatKey, chat)
    return chat
  }

  private dispatch(chat: ChatQueue): void {
    if (chat.items.length === 0 || this.held || this.chats.get(chat.key) !== chat) return
    this.queue.poke(chat.key, chat.adapter.name, chat, chat.items[0].nextAttemptAt)
  }

  /** Nothing left to send: the queue goes (and, in a cluster, the chat's lease with it). */
  private close(chat: ChatQueue): void {
    // A queue replaced since (its chat given back and taken again) must not remove its successor.
    if (this.chats.get(chat.key) !== chat) return
    this.chats.delete(chat.key)
    this.deps.leases.emptied(chat.key, this.now())
  }

  private drop(key: string): void {
    const chat = this.chats.get(key)
    if (!chat) return
    this.queue.cancel(key)
    chat.items.length = 0
    chat.ids.clear()
    this.chats.delete(key)
  }

  /** One turn of a chat: sends its head when due, fenced and paced; answers when to look at the chat again. */
  private async run(chat: ChatQueue): Promise<RunOutcome<ChatQueue>> {
    // A queue no longer registered for its chat (given back, or taken over by another process) sends nothing more.
    if (this.chats.get(chat.key) !== chat || this.held) return
    const head = chat.items[0]
    if (!head) return this.close(chat)
    const now = this.now()
    const fenced = this.deps.leases.fence(chat.key)
    if (fenced > 0) return { at: now + fenced }
    const shaped = await this.shaper.turn(chat, now, this.deps.storage.coordinator !== undefined)
    if (shaped) return shaped
    if (this.chats.get(chat.key) !== chat) return
    if (!chat.items[0]) return this.close(chat)
    const next = chat.items[0]
    if (next.nextAttemptAt > now) return { at: next.nextAttemptAt }
    const paced = await this.deps.leases.pace(chat, now)
    if (paced > 0) return { at: now + paced }
    next.partsSent ??= await this.partsSent(next.id, next.attempts)
    await sendHead(this.sendDeps, chat, next as QueuedMessage & { partsSent: number })
    if (chat.items.length === 0) return this.close(chat)
    return { at: chat.items[0].nextAttemptAt }
  }
}
