// Config pieces every adapter shares: rate limits and message splitting, with defaults from the platforms' documented limits.
import { z } from 'zod'
import { duration } from '../../config/size.js'
import type { RateLimit } from '../../host/outbox/adapter.js'

const rateSchema = z
  .object({
    count: z.number().int().positive().describe('Messages allowed per interval'),
    interval: duration.describe('Interval, e.g. "1m" or "1s"'),
  })
  .strict()

export const rateLimitSchema = z
  .object({
    perChat: rateSchema.optional().describe('Limit per chat (group, channel, webhook)'),
    global: rateSchema.optional().describe('Limit for the whole adapter instance'),
  })
  .strict()
  .optional()
  .describe("Overrides the platform's documented rate limits")

export const maxPartsSchema = z.number().int().min(1).max(99).default(10).describe('A longer message is split in at most this many parts; the rest is truncated with a marker')

/** Fields every HTTP adapter takes besides its own. */
export const commonFields = {
  rateLimit: rateLimitSchema,
  maxParts: maxPartsSchema,
}

export interface AdapterRates {
  perChat?: RateLimit
  global?: RateLimit
}

/** The documented defaults with the config's overrides on top. */
export function rates(defaults: AdapterRates, override: z.output<typeof rateLimitSchema>): AdapterRates {
  const pick = (r: { count: number; interval: number } | undefined): RateLimit | undefined => (r ? { count: r.count, intervalMs: Math.max(1, r.interval) } : undefined)
  return { perChat: pick(override?.perChat) ?? defaults.perChat, global: pick(override?.global) ?? defaults.global }
}

/** An http(s) URL, for base URLs that tests point at loopback fakes. */
export const httpUrl = z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, ''))
