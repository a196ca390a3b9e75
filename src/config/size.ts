// Parses human sizes and durations from the config file ("1mb", "30s") into bytes and milliseconds.
import { z } from 'zod'

const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, k: 1024, mb: 1024 ** 2, m: 1024 ** 2, gb: 1024 ** 3, g: 1024 ** 3 }
const TIME_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

function parseWithUnits(text: string, units: Record<string, number>): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text)
  if (!match) return undefined
  const unit = match[2].toLowerCase() || Object.keys(units)[0]
  const factor = units[unit]
  return factor === undefined ? undefined : Math.round(Number(match[1]) * factor)
}

/** A byte count: a number, or a string such as "512kb" or "25mb". */
export const byteSize = z.union([z.number().int().positive(), z.string()]).transform((value, ctx) => {
  const bytes = typeof value === 'number' ? value : parseWithUnits(value, SIZE_UNITS)
  if (bytes === undefined || bytes <= 0) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a size; write a number of bytes or e.g. "512kb", "25mb"` })
    return z.NEVER
  }
  return bytes
})

/** A duration in milliseconds: a number, or a string such as "30s", "5m", "30d". */
export const duration = z.union([z.number().int().nonnegative(), z.string()]).transform((value, ctx) => {
  const ms = typeof value === 'number' ? value : parseWithUnits(value, TIME_UNITS)
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration; write milliseconds or e.g. "30s", "5m", "7d"` })
    return z.NEVER
  }
  return ms
})
