// Quiet hours and mutes: whether a chat's messages are held now, and until when (on the injected clock).
import type { QuietSettings } from '../../config/shaping.js'
import type { Message } from '../messages.js'

const MINUTE = 60_000
const formats = new Map<string, Intl.DateTimeFormat>()

/** Minutes since local midnight in a time zone (seconds included as a fraction). */
function localMinutes(now: number, timeZone: string | undefined): number {
  const key = timeZone ?? ''
  let format = formats.get(key)
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit', second: '2-digit' })
    formats.set(key, format)
  }
  const parts = Object.fromEntries(format.formatToParts(now).map((p) => [p.type, p.value]))
  return Number(parts.hour) * 60 + Number(parts.minute) + Number(parts.second) / 60 + (now % 1000) / MINUTE
}

const clock = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))

/** When the quiet hours that hold `now` end (ms), or 0 when it is not quiet. from == to means no quiet hours. */
export function quietUntil(quiet: QuietSettings, now: number): number {
  const from = clock(quiet.from)
  const to = clock(quiet.to)
  if (from === to) return 0
  const at = localMinutes(now, quiet.timeZone)
  const inside = from < to ? at >= from && at < to : at >= from || at < to
  if (!inside) return 0
  const left = (to - at + 1440) % 1440
  // Rounded up to the next whole second so that the release time is never before the local `to`.
  return Math.ceil((now + left * MINUTE) / 1000) * 1000
}

/** True when a message passes quiet hours (its level is listed in `except`). */
export function passesQuiet(quiet: QuietSettings, message: Message): boolean {
  return message.level !== undefined && quiet.except.includes(message.level)
}

/** Parses "2h", "30m", "1d", "90s" or "1h30m" into milliseconds; undefined when it is not a duration. */
export function parseMuteDuration(text: string): number | undefined {
  const units: Record<string, number> = { s: 1000, m: MINUTE, h: 60 * MINUTE, d: 1440 * MINUTE, w: 7 * 1440 * MINUTE }
  const trimmed = text.trim().toLowerCase()
  if (!/^(\d+[smhdw])+$/.test(trimmed)) return undefined
  let ms = 0
  for (const [, n, u] of trimmed.matchAll(/(\d+)([smhdw])/g)) ms += Number(n) * units[u]
  return ms > 0 && ms <= 366 * 1440 * MINUTE ? ms : undefined
}
