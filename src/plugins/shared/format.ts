// The one formatter core of the built-ins: localized words, safe one-line snippets, and a Notice rendered as a chat Message.
import type { Message } from '../../index.js'
import { dictionary, EN_SINGULAR, stateWord, verbWord, type WordKey } from './dictionary.js'
import type { Locale } from './locale.js'

/** What a plugin wants to say, before it becomes a Message: each piece once. */
export interface Notice {
  /** The one icon of the headline. */
  icon: string
  /** Where it happened (repository, project, alert group, service). */
  source?: string
  /** The headline, without icon or source. */
  headline: string
  /** Detail lines; empty, false, null and undefined ones are left out. */
  lines?: Array<string | false | null | undefined>
  /** Key/value facts (branch, duration, severity …); entries with an empty value are left out. */
  fields?: Array<{ name: string; value: Value; inline?: boolean } | false | null | undefined>
  url?: string
  level?: Message['level']
}

export type Value = string | number | null | undefined

const MAX_HEADLINE = 160
const MAX_LINE = 160
const MAX_LINES = 14
const MAX_FIELD = 200

/** The first line of a text, trimmed to max characters with an ellipsis; anything not text or number counts as empty. */
export function oneLine(value: unknown, max = MAX_LINE): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  if (typeof value !== 'string') return ''
  // eslint-disable-next-line no-control-regex
  const line = (value.split(/\r?\n/).find((l) => l.trim() !== '') ?? '').replace(/[\u0000-\u001f\u007f]/g, ' ').trim()
  return [...line].length > max ? `${[...line].slice(0, max - 1).join('')}…` : line
}

export function shortSha(sha: unknown): string {
  return typeof sha === 'string' ? sha.slice(0, 7) : ''
}

/** A string field of a JSON object, or '' when missing or of another type. */
export function str(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' && Number.isFinite(value) ? String(value) : ''
}

/** An http(s) URL, or undefined: no other scheme reaches a chat as a link. */
export function httpUrl(value: unknown): string | undefined {
  return typeof value === 'string' && /^https?:\/\/[^\s]+$/i.test(value) && value.length <= 2000 ? value : undefined
}

export class Words {
  private readonly dict: Record<WordKey, string>
  constructor(readonly locale: Locale) {
    this.dict = dictionary(locale)
  }

  /** The word for a key with its {placeholders} filled; a missing value reads as "unknown", never "undefined". */
  t(key: WordKey, vars: Record<string, Value> = {}): string {
    return this.dict[key].replace(/\{(\w+)\}/g, (_, name: string) => {
      if (name === 'colon') return this.dict.colon
      const value = vars[name]
      const text = value === null || value === undefined ? '' : String(value)
      return text === '' ? this.dict.unknown : text
    })
  }

  /** "3 个提交" / "3 commits" / "1 commit". */
  count(key: 'count.commit' | 'count.alert' | 'count.star' | 'count.page' | 'count.file', n: number): string {
    const template = this.locale === 'en' && n === 1 ? EN_SINGULAR[key]! : this.dict[key]
    return template.replace('{n}', String(n))
  }

  verb(action: string): string {
    return verbWord(this.locale, action || 'updated')
  }

  state(state: string): string {
    return stateWord(this.locale, state || 'unknown')
  }

  /** "Issue #12：title" / "issue #12: title". */
  thing(noun: WordKey, number?: Value, title?: unknown): string {
    const head = number === undefined || number === null || number === '' ? this.dict[noun] : `${this.dict[noun]} #${number}`
    const text = oneLine(title, 80)
    return text ? `${head}${this.dict.colon}${text}` : head
  }

  get unknown(): string {
    return this.dict.unknown
  }
}

/** True when the text holds the URL as a word of its own (not merely a longer URL starting with it). */
function mentions(text: string, url: string): boolean {
  return text.split(/[\s()<>]+/).some((word) => word.replace(/[.,;:!?，。；：]+$/, '') === url)
}

/**
 * A Notice as a chat Message, each piece said once: the headline as title (no icon), the icon, the source, the detail
 * lines as text (never the headline, the source or the link), the facts as fields, the one link, the level.
 */
export function render(notice: Notice): Message {
  const title = oneLine(notice.headline, MAX_HEADLINE)
  const url = httpUrl(notice.url)
  const seen = new Set<string>([title])
  const lines: string[] = []
  for (const raw of notice.lines ?? []) {
    if (typeof raw !== 'string' || raw.trim() === '') continue
    const line = oneLine(raw, MAX_LINE)
    // A line said already (or the link, which the adapter shows once) is not said again.
    if (seen.has(line) || (url && mentions(line, url))) continue
    seen.add(line)
    lines.push(line)
  }
  const message: Message = { title, icon: notice.icon, text: lines.slice(0, MAX_LINES).join('\n') }
  const source = oneLine(notice.source, 80)
  if (source) message.source = source
  const fields = (notice.fields ?? [])
    .filter((f): f is { name: string; value: Value; inline?: boolean } => !!f && oneLine(f.value, MAX_FIELD) !== '')
    .map((f) => ({ name: f.name, value: oneLine(f.value, MAX_FIELD), inline: f.inline ?? true }))
    .filter((f) => !(url && mentions(f.value, url)))
  if (fields.length > 0) message.fields = fields
  if (url) message.link = { url }
  if (notice.level) message.level = notice.level
  return message
}

/** Up to `max` items as lines, and "…and N more" for the rest. */
export function listLines(words: Words, items: string[], max: number, moreKey: 'more' | 'moreCommits' = 'more'): string[] {
  const shown = items.slice(0, max)
  return items.length > max ? [...shown, words.t(moreKey, { n: items.length - max })] : shown
}

/**
 * The first few lines of a Markdown or HTML body as quoted plain text: comments, code blocks, images, tags, headings
 * and list marks stripped, links reduced to their text, "…" when more was left out.
 */
export function excerpt(text: unknown, maxLines = 3, max = 100): string[] {
  if (typeof text !== 'string' || text.trim() === '') return []
  const plain = text
    .slice(0, 20_000)
    .replace(/<!--[\s\S]*?(-->|$)/g, '')
    .replace(/```[\s\S]*?(```|$)/g, '')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]{0,200}>/g, '')
  const lines = plain
    .split(/\r?\n/)
    // Headings of a template ("## What", "## Why") say nothing of this change.
    .filter((l) => !/^\s{0,3}#{1,6}\s/.test(l))
    .map((l) =>
      l
        .replace(/^\s{0,3}(>\s?|[-*+]\s+\[[ xX]\]\s+|[-*+]\s+|\d+[.)]\s+)/, '')
        .replace(/(\*\*|__|~~|`)/g, '')
        .trim(),
    )
    .filter((l) => l !== '' && !/^[-=*_|: ]+$/.test(l))
  const shown = lines.slice(0, maxLines).map((l) => `> ${oneLine(l, max)}`)
  if (lines.length > maxLines && shown.length > 0) shown[shown.length - 1] = `${shown[shown.length - 1]!.replace(/…$/, '')} …`
  return shown
}

/** "1 h 2 min", "3 min 4 s", "12 s" between two times, or '' when either is missing or the order is wrong. */
export function duration(from: unknown, to: unknown, words: Words): string {
  const a = typeof from === 'string' ? Date.parse(from) : NaN
  const b = typeof to === 'string' ? Date.parse(to) : NaN
  if (!Number.isFinite(a) || !Number.isFinite(b) || b < a) return ''
  return seconds((b - a) / 1000, words)
}

/** A number of seconds as "1 h 2 min" / "1 小时 2 分". */
export function seconds(value: unknown, words: Words): string {
  const total = typeof value === 'number' && Number.isFinite(value) ? Math.round(value) : NaN
  // Nothing to say of no time at all (the samples of some senders have 0).
  if (!Number.isFinite(total) || total <= 0) return ''
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  if (h > 0) return words.t('time.hm', { h, m })
  if (m > 0) return words.t('time.ms', { m, s })
  return words.t('time.s', { s })
}

/** A time as "2026-11-05 14:03:09" in a time zone (Intl), or undefined when the value is not a time. */
export function formatTime(value: unknown, timeZone: string): string | undefined {
  let ms: number | undefined
  if (typeof value === 'number' && Number.isFinite(value)) ms = value < 1e12 ? value * 1000 : value
  else if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value)
    ms = Number.isFinite(n) ? (n < 1e12 ? n * 1000 : n) : Date.parse(value)
  }
  if (ms === undefined || !Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return undefined
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(ms))
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00'
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`
}

/** True when Intl knows the time zone name. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name })
    return true
  } catch {
    return false
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`
  return `${(n / 1024 / 1024).toFixed(1)} MiB`
}
