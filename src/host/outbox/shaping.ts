// One turn of shaping for a chat before its head is sent: hold it (mute, quiet hours), let critical ones pass, or fold a burst into digests.
import type { ChatShaping } from '../../config/shaping.js'
import { newId } from '../../util/ids.js'
import type { Logger } from '../../util/logger.js'
import type { MuteRow, Storage } from '../../storage/types.js'
import type { HostEvents } from '../events.js'
import { BURST_MS, chatRules, DEFAULT_DIGEST, digestGroups, digestMessage, digestThreshold, SOON_MS, type ChatRules } from './digest.js'
import { passesQuiet, quietUntil } from './quiet.js'
import type { ChatQueue, QueuedMessage } from './send.js'

/** A held chat is looked at again at least this often (a timer of days would overflow, and mutes may change). */
const RECHECK_MS = 15 * 60_000
/** In a cluster, mutes set by another process are read again this often. */
const MUTE_REFRESH_MS = 5000

export interface ShapingDeps {
  storage: Storage
  logger: Logger
  events: HostEvents
  chats?: Record<string, ChatShaping>
  now: () => number
}

export class ChatShaper {
  private readonly rules = new Map<string, ChatRules>()
  private muted = new Map<string, MuteRow>()
  /** Chats that were held since their last send: what waits is released as digests. */
  private readonly released = new Set<string>()
  private loadedAt = -Infinity
  /** When each chat last built a digest (in memory: after a restart a burst starts afresh). */
  private readonly lastDigest = new Map<string, number>()

  constructor(private readonly deps: ShapingDeps) {}

  async load(): Promise<void> {
    const now = this.deps.now()
    this.muted = new Map((await this.deps.storage.mutes(now)).map((m) => [m.chatKey, m]))
    this.loadedAt = now
  }

  async mute(chatKey: string, until: number): Promise<MuteRow> {
    const row = { chatKey, until, createdAt: this.deps.now() }
    await this.deps.storage.write([{ op: 'mute.set', ...row }])
    this.muted.set(chatKey, row)
    return row
  }

  async unmute(chatKey: string): Promise<boolean> {
    const [result] = await this.deps.storage.write([{ op: 'mute.delete', chatKey }])
    return this.muted.delete(chatKey) || (result?.changes ?? 0) > 0
  }

  /** Mutes in force now, soonest to end first. */
  mutes(): MuteRow[] {
    const now = this.deps.now()
    return [...this.muted.values()].filter((m) => m.until > now).sort((a, b) => a.until - b.until)
  }

  /** When the chat's hold ends (ms), or 0 when it may send; `quietOnly` when no mute holds it (critical ones may pass). */
  heldUntil(chat: ChatQueue, now: number): { until: number; quietOnly: boolean } {
    const mute = this.muted.get(chat.key)
    const muteUntil = mute && mute.until > now ? mute.until : 0
    const quiet = this.rulesOf(chat).quiet
    const quietEnd = quiet ? quietUntil(quiet, now) : 0
    return { until: Math.max(muteUntil, quietEnd), quietOnly: muteUntil === 0 }
  }

  /**
   * Before the chat's head is sent: answers a time to look again when the chat is held (and nothing may pass), or
   * undefined to go on and send the head — which may now be a message that passes quiet hours, or a digest.
   */
  async turn(chat: ChatQueue, now: number, shared: boolean): Promise<{ at: number } | undefined> {
    if (shared && now - this.loadedAt >= MUTE_REFRESH_MS) await this.load().catch((error) => this.deps.logger.warn({ err: (error as Error).message }, 'could not read mutes'))
    const held = this.heldUntil(chat, now)
    if (held.until > now) {
      this.released.add(chat.key)
      const quiet = this.rulesOf(chat).quiet
      const passes = (m: QueuedMessage) => m.message.answer === true || (held.quietOnly && quiet !== undefined && passesQuiet(quiet, m.message))
      const index = chat.items.findIndex(passes)
      // In a cluster a mute may be lifted by another process: the chat looks again as often as mutes are read.
      if (index < 0) return { at: Math.min(held.until, now + (shared ? MUTE_REFRESH_MS : RECHECK_MS)) }
      // An answer to a command, or a message that passes quiet hours, goes ahead of those held (nothing of this chat is
      // in flight during its turn).
      if (index > 0) chat.items.unshift(...chat.items.splice(index, 1))
      return undefined
    }
    const released = this.released.delete(chat.key)
    const rules = this.rulesOf(chat)
    if (!rules.digest && !released) return undefined
    // In a burst, what comes next waits to be folded with what follows it, up to SOON_MS after the last digest.
    const last = this.lastDigest.get(chat.key)
    const inBurst = last !== undefined && now - last < BURST_MS
    if (inBurst && !released) {
      // The digest just built goes first; what follows it is folded once SOON_MS have passed.
      if (!isFoldable(chat.items[0])) return undefined
      if (now < last + SOON_MS) return { at: last + SOON_MS }
    }
    if (!inBurst) this.lastDigest.delete(chat.key)
    if (await this.fold(chat, rules, released || inBurst)) this.lastDigest.set(chat.key, now)
    return undefined
  }

  private rulesOf(chat: ChatQueue): ChatRules {
    let rules = this.rules.get(chat.key)
    if (!rules) this.rules.set(chat.key, (rules = chatRules(this.deps.chats, chat.key, chat.adapter)))
    return rules
  }

  /** Replaces the waiting run of messages by digests, in storage (one unit) and then in the queue, at the same place. */
  private async fold(chat: ChatQueue, rules: ChatRules, force: boolean): Promise<boolean> {
    const settings = rules.digest ?? DEFAULT_DIGEST
    const threshold = digestThreshold(settings, chat.adapter.rateLimits?.perChat)
    // Every turn of a busy chat comes here: a queue too short to fold is not copied to find that out.
    if (chat.items.length < 2 || (!force && chat.items.length <= threshold)) return false
    // An answer to a person is never carried: like a digest, it is sent as itself and bounds the run around it.
    const members = chat.items.map((m) => ({ ...m, tried: isTried(m), digest: m.digest === true || m.message.answer === true }))
    const groups = digestGroups(members, settings, force, threshold)
    if (groups.length === 0) return false
    const now = this.deps.now()
    const digests = groups.map((group) => ({
      id: newId(),
      chatKey: chat.key,
      message: digestMessage(group, rules.locale),
      plugin: null,
      deliveryId: null,
      createdAt: now,
      members: group.map((m) => m.id),
    }))
    try {
      await this.deps.storage.write(digests.map(({ members: ids, ...digest }) => ({ op: 'outbox.digest' as const, digest, members: ids })))
    } catch (error) {
      // Nothing changed (the unit is atomic): the messages are sent one by one instead.
      this.deps.logger.warn({ chatKey: chat.key, err: (error as Error).message }, 'could not build a digest')
      return false
    }
    const first = chat.items.findIndex((m) => m.id === groups[0][0].id)
    const carried = new Set(digests.flatMap((d) => d.members))
    const replaced: QueuedMessage[] = digests.map((d) => ({
      id: d.id,
      chatKey: d.chatKey,
      message: d.message,
      plugin: null,
      attempts: 0,
      nextAttemptAt: now,
      createdAt: now,
      partsSent: 0,
      digest: true,
    }))
    const rest = chat.items.filter((m, i) => i < first || !carried.has(m.id))
    rest.splice(first, 0, ...replaced)
    chat.items.splice(0, chat.items.length, ...rest)
    for (const id of carried) chat.ids.delete(id)
    for (const d of digests) {
      chat.ids.add(d.id)
      for (const id of d.members) this.deps.events.emit('message', { id, chatKey: chat.key, state: 'carried', attempts: 0 })
    }
    return true
  }
}

/** A message that a digest could still carry. */
function isFoldable(m: QueuedMessage | undefined): boolean {
  return m !== undefined && !m.digest && m.message.answer !== true && !isTried(m)
}

function isTried(m: QueuedMessage): boolean {
  return m.attempts > 0 || (m.partsSent ?? 0) > 0 || m.parts !== undefined
}
