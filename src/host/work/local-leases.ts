// Leases of one process (SQLite): it holds all work, so nothing is leased; pacing is by in-memory rate windows.
import type { Storage, OutboxInsert, OutboxRow, TaskRow } from '../../storage/types.js'
import type { Logger } from '../../util/logger.js'
import { ChatFeed, type FeedLimits } from './chat-feed.js'
import type { ChatHandle, ChatSink, LeaseUsers, PaceLimit, WorkLeases } from './leases.js'
import { RateWindow } from './rate-window.js'

const TASK_PAGE = 200
const TASK_PAGES = 500
/** Windows of chats gone quiet are dropped once there are this many. */
const MAX_WINDOWS = 10_000

export class LocalLeases implements WorkLeases {
  private sink?: ChatSink
  private readonly globalWindows = new Map<string, RateWindow>()
  /** Per-chat windows outlive their queue, so that a chat that empties and refills is still paced. */
  private readonly chatWindows = new Map<string, RateWindow>()

  /** Committed messages into the chat queues, a long backlog left in storage and paged in. */
  readonly feed: ChatFeed

  constructor(
    private readonly storage: Storage,
    logger: Logger,
    limits?: FeedLimits,
  ) {
    this.feed = new ChatFeed(storage, () => this.sink, logger, limits)
  }

  bindChats(sink: ChatSink): void {
    this.sink = sink
  }

  async start(users: LeaseUsers): Promise<{ deliveries: number; messages: number }> {
    const messages = await users.resumeMessages()
    const deliveries = await users.resumeDeliveries()
    return { deliveries, messages }
  }

  stop(): void {}

  async *tasks(kinds: string[]): AsyncIterable<TaskRow[]> {
    const wanted = new Set(kinds)
    let after = 0
    for (let page = 0; page < TASK_PAGES; page++) {
      const rows = await this.storage.unfinishedTasks(TASK_PAGE, after)
      if (rows.length === 0) return
      after = rows[rows.length - 1].seq
      yield rows.filter((row) => wanted.has(`${row.plugin}\u001f${row.kind}`))
    }
  }

  committed(rows: Array<OutboxInsert | OutboxRow>): void {
    this.feed.committed(rows)
  }

  inOrder(): number {
    return 0
  }

  fence(): number {
    return 0
  }

  pace(chat: ChatHandle, now: number): number {
    const limits = chat.adapter.rateLimits
    const local = limits?.perChat ? this.window(this.chatWindows, chat.key, limits.perChat, now) : undefined
    const global = limits?.global ? this.window(this.globalWindows, chat.adapter.name, limits.global, now) : undefined
    const wait = Math.max(local?.delay(now) ?? 0, global?.delay(now) ?? 0)
    if (wait > 0) return wait
    // Every part takes a token, so that the parts of a split message are paced like separate messages.
    local?.take(now)
    global?.take(now)
    return 0
  }

  throttled(chat: ChatHandle, now: number): void {
    this.chatWindows.get(chat.key)?.drain(now)
  }

  emptied(chatKey: string, now: number): void {
    this.feed.emptied(chatKey)
    if (this.chatWindows.get(chatKey)?.idle(now)) this.chatWindows.delete(chatKey)
    if (this.chatWindows.size <= MAX_WINDOWS) return
    const open = new Set(this.sink?.chats() ?? [])
    for (const [key, w] of this.chatWindows) if (!open.has(key) && w.idle(now)) this.chatWindows.delete(key)
  }

  private window(windows: Map<string, RateWindow>, key: string, limit: PaceLimit, now: number): RateWindow {
    let window = windows.get(key)
    if (!window) windows.set(key, (window = new RateWindow(limit, now)))
    return window
  }
}
