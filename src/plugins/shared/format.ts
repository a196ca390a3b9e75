// The one formatter core of the built-ins: localized words, safe one-line snippets, and a Notice rendered as a chat Message.
import type { Message } from '../../index.js'
import { dictionary, EN_SINGULAR, stateWord, verbWord, type WordKey } from './dictionary.js'
import type { Locale } from './locale.js'

/** What a plugin wants to say, before it becomes text. */
export interface Notice {
  icon: string
  /** Where it happened (repository, alert group, service): shown in brackets first. */
  source?: string
  headline: string
  /** Detail lines; empty, false, null and undefined ones are left out. */
  lines?: Array<string | false | null | undefined>
  url?: string
  level?: Message['level']
}

export type Value = string | number | null | undefined

const MAX_HEADLINE = 160
const MAX_LINE = 120
const MAX_LINES = 12

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
  count(key: 'count.commit' | 'count.alert' | 'count.star' | 'count.page', n: number): string {
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

  /** "By octocat on main", or "By octocat" when there is no branch. */
  ci(actor: string, branch: string): string {
    return branch ? this.t('line.ci', { actor, branch }) : this.t('line.actor', { actor })
  }

  get unknown(): string {
    return this.dict.unknown
  }
}

/** A Notice as a chat Message: a short text every adapter can show, plus title, link and level for those that can use them. */
export function render(notice: Notice): Message {
  const headline = oneLine(notice.headline, MAX_HEADLINE)
  const first = `${notice.icon} ${notice.source ? `[${oneLine(notice.source, 80)}] ` : ''}${headline}`
  const lines = (notice.lines ?? []).filter((l): l is string => typeof l === 'string' && l.trim() !== '').map((l) => oneLine(l, MAX_LINE))
  const kept = lines.slice(0, MAX_LINES)
  const url = httpUrl(notice.url)
  const text = [first, ...kept, ...(url ? [`🔗 ${url}`] : [])].join('\n')
  const message: Message = { text, title: `${notice.icon} ${headline}` }
  if (url) message.link = { url }
  if (notice.level) message.level = notice.level
  return message
}

/** Up to `max` items as lines, and "…and N more" for the rest. */
export function listLines(words: Words, items: string[], max: number, moreKey: 'more' | 'moreCommits' = 'more'): string[] {
  const shown = items.slice(0, max)
  return items.length > max ? [...shown, words.t(moreKey, { n: items.length - max })] : shown
}

/** A quoted first line of a comment or body. */
export function quote(text: unknown): string | undefined {
  const line = oneLine(text, 80)
  return line ? `> ${line}` : undefined
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
