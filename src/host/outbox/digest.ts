// Digests for bursts: which waiting messages of a chat become one digest, and the digest message itself.
import type { ChatShaping, DigestSettings, QuietSettings } from '../../config/shaping.js'
import { LEVEL_ICONS, type Message } from '../messages.js'

/** Platforms with a rate limit: digests are on by default there (off for web, console, http, email). */
export const DIGEST_BY_DEFAULT = new Set(['onebot_v11', 'telegram', 'dingtalk', 'wecom', 'feishu', 'slack', 'discord'])
export const DEFAULT_DIGEST: DigestSettings = { after: 5, max: 30 }
export type DigestLocale = 'zh-CN' | 'en'

/** What the config says for one chat: its chat_key entry over its adapter instance's entry, field by field. */
export interface ChatRules {
  digest: DigestSettings | undefined
  quiet: QuietSettings | undefined
  locale: DigestLocale
}

export function chatRules(chats: Record<string, ChatShaping> | undefined, chatKey: string, adapter: { name: string; type: string }): ChatRules {
  const own = chats?.[chatKey] ?? {}
  const ofAdapter = chats?.[adapter.name] ?? {}
  const digest = own.digest ?? ofAdapter.digest ?? (DIGEST_BY_DEFAULT.has(adapter.type) ? DEFAULT_DIGEST : false)
  return { digest: digest === false ? undefined : digest, quiet: own.quiet ?? ofAdapter.quiet, locale: own.locale ?? ofAdapter.locale ?? 'zh-CN' }
}

/** The part of a waiting message the digest needs. */
export interface DigestMember {
  id: string
  message: Message
  plugin: string | null
  /** Tried already (a part or a failed attempt): it is sent on its own, never carried. */
  tried: boolean
  /** A digest itself: it is never carried by another one. */
  digest: boolean
}

/**
 * The members of the digests to build now, in order, in groups of at most `max`: the run of untried messages at the
 * start of the queue (after a head that is being tried), when it is longer than `threshold` — or, when `force` (quiet hours
 * or a mute just ended), when it holds at least two. Empty when the chat should keep sending one by one.
 */
export function digestGroups<T extends DigestMember>(items: readonly T[], rules: DigestSettings, force: boolean, threshold = rules.after): T[][] {
  let start = 0
  while (start < items.length && (items[start].tried || items[start].digest)) start++
  let end = start
  while (end < items.length && !items[end].tried && !items[end].digest) end++
  const run = items.slice(start, end)
  if (run.length < 2 || (!force && run.length <= threshold)) return []
  const groups: T[][] = []
  for (let i = 0; i < run.length; i += rules.max) groups.push(run.slice(i, i + rules.max))
  // A last group of one is no digest: it is sent as itself.
  if (groups.length > 1 && groups[groups.length - 1].length === 1) groups.pop()
  return groups
}

/**
 * "Soon": a burst is folded only when the chat's rate limit needs longer than this to let it out one by one; and while
 * a burst goes on, a chat sends its next digest this long after the last one, so that a few digests carry it all.
 */
export const SOON_MS = 5000
/** A chat that sent a digest this recently is still in a burst. */
export const BURST_MS = 30_000

/** Waiting messages beyond which a chat's burst becomes digests: `after`, or what its rate limit lets out soon if more. */
export function digestThreshold(rules: DigestSettings, perChat: { count: number; intervalMs: number } | undefined): number {
  return perChat ? Math.max(rules.after, Math.floor((perChat.count * SOON_MS) / perChat.intervalMs)) : rules.after
}

const HEADLINE: Record<DigestLocale, (n: number) => string> = {
  'zh-CN': (n) => `${n} 条消息合并`,
  en: (n) => (n === 1 ? '1 message' : `${n} messages`),
}

/** The digest of some messages: a headline with the count, then one line per message (icon, [source], title), each URL once. */
export function digestMessage(members: ReadonlyArray<{ message: Message }>, locale: DigestLocale): Message {
  const seen = new Set<string>()
  const lines: string[] = []
  for (const { message } of members) {
    const icon = message.icon ?? (message.level ? LEVEL_ICONS[message.level] : '•')
    const source = message.source ? `[${message.source}] ` : ''
    const title = message.title ?? firstLine(message.text)
    const url = message.link?.url && !seen.has(message.link.url) ? message.link.url : undefined
    if (url) seen.add(url)
    lines.push(`${icon} ${source}${title}${url ? ` ${url}` : ''}`)
  }
  const levels = members.map((m) => m.message.level)
  const level = (['critical', 'error', 'warning'] as const).find((l) => levels.includes(l))
  return { title: HEADLINE[locale](members.length), icon: '🗂️', text: lines.join('\n'), ...(level ? { level } : {}) }
}

function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim()) ?? ''
  return line.length > 200 ? `${line.slice(0, 199)}…` : line
}
