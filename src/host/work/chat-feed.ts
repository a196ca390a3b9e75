// Feeds one process's chat queues with committed messages while keeping memory bounded: a long backlog stays in storage and is paged in by seq.
import type { Logger } from '../../util/logger.js'
import type { OutboxInsert, OutboxRow, Storage } from '../../storage/types.js'
import type { ChatSink } from './leases.js'

export interface FeedLimits {
  /** Messages one chat keeps in memory; beyond, they wait in storage. */
  perChat: number
  /** Messages all chats keep in memory, once each chat has `floor`. */
  total: number
  /** A chat with fewer than this many always takes its message in memory (so that it empties and pages on). */
  floor: number
  /** Messages read from storage per page. */
  page: number
}

export const DEFAULT_FEED_LIMITS: FeedLimits = { perChat: 100, total: 5000, floor: 20, page: 100 }

/** A chat whose newer messages wait in storage: they are read after `after` (its last seq read), in seq order, when its queue empties. */
interface Spill {
  after: number | undefined
  /** The first message left in storage, when its seq is not known yet (it came from this process's commit). */
  firstId: string
  loading: boolean
  /** A message of the chat committed while a page was read: read again before the chat leaves storage-fed mode. */
  dirty: boolean
}

export class ChatFeed {
  private readonly spills = new Map<string, Spill>()

  constructor(
    private readonly storage: Pick<Storage, 'pendingForChat' | 'getMessage'>,
    private readonly sink: () => ChatSink | undefined,
    private readonly logger: Logger,
    private readonly limits: FeedLimits = DEFAULT_FEED_LIMITS,
  ) {}

  /** Chats fed from storage now (their newer messages are not in memory). */
  get spilled(): number {
    return this.spills.size
  }

  /**
   * Committed messages, in commit order: into their chat's queue while it has room; else they wait in storage, and
   * every later message of that chat too, so that the chat keeps its order.
   */
  committed(rows: Array<OutboxInsert | OutboxRow>): void {
    const sink = this.sink()
    if (!sink) return
    // All chats' depth costs a walk over the queues: counted once per batch, and only when a chat is past its floor.
    let depth: number | undefined
    for (const row of rows) {
      const spill = this.spills.get(row.chatKey)
      if (spill) {
        spill.dirty = true
        continue
      }
      const chat = sink.open(row.chatKey)
      if (!chat) continue
      const full = chat.size >= this.limits.perChat || (chat.size >= this.limits.floor && (depth ??= sink.depth()) >= this.limits.total)
      if (full) {
        this.spills.set(row.chatKey, { after: 'seq' in row ? row.seq - 1 : undefined, firstId: row.id, loading: false, dirty: false })
        this.logger.debug({ chatKey: row.chatKey, queued: chat.size, depth }, 'chat backlog kept in storage, paged in as the queue empties')
        continue
      }
      chat.push([row])
      if (depth !== undefined) depth++
    }
  }

  /** The chat's queue emptied: a chat fed from storage reads its next page (which opens the queue again). */
  emptied(chatKey: string): void {
    const spill = this.spills.get(chatKey)
    if (!spill || spill.loading) return
    spill.loading = true
    void this.page(chatKey, spill)
      .catch((error) => this.logger.error({ chatKey, err: (error as Error).message }, 'could not read the next page of a chat backlog'))
      .finally(() => (spill.loading = false))
  }

  private async page(chatKey: string, spill: Spill): Promise<void> {
    if (spill.after === undefined) spill.after = ((await this.storage.getMessage(spill.firstId))?.seq ?? 1) - 1
    for (;;) {
      spill.dirty = false
      const rows = await this.storage.pendingForChat(chatKey, spill.after, this.limits.page)
      if (rows.length > 0) spill.after = rows[rows.length - 1].seq
      // Nothing committed since the read began, and the read came back short: storage holds no more of this chat, and
      // what is committed from now on goes to memory again (nothing runs between this check and the delete).
      const drained = rows.length < this.limits.page && !spill.dirty
      if (drained) this.spills.delete(chatKey)
      if (rows.length > 0) {
        const chat = this.sink()?.open(chatKey)
        if (!chat) return void this.spills.delete(chatKey)
        chat.push(rows)
        return
      }
      if (drained) return
    }
  }
}
