// The `outbox.chats` block of hookcat.yaml: digests, quiet hours and locale per chat_key or per adapter instance.
import { z } from 'zod'

const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/

const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz })
    return true
  } catch {
    return false
  }
}, 'is not an IANA time zone (e.g. "Asia/Shanghai", "UTC")')

export const digestSchema = z.union([
  z.literal(false),
  z
    .object({
      after: z.number().int().min(1).max(10_000).default(5).describe('More waiting messages than this (that the rate limit does not let out at once) are sent as digests'),
      max: z.number().int().min(2).max(200).default(30).describe('Messages carried by one digest; more make several digests'),
    })
    .strict(),
])

export const quietSchema = z
  .object({
    from: z.string().regex(CLOCK, 'must be a time of day "HH:MM"').describe('Start of quiet hours (local time)'),
    to: z.string().regex(CLOCK, 'must be a time of day "HH:MM"').describe('End of quiet hours (local time); earlier than from means the next day'),
    timeZone: timeZone.optional().describe("IANA time zone of from/to; the server's when absent"),
    except: z.array(z.enum(['critical', 'error', 'warning', 'info', 'success'])).default([]).describe('Message levels that pass quiet hours'),
  })
  .strict()

export const chatShapingSchema = z
  .object({
    digest: digestSchema.optional().describe('Digests for bursts: { after, max } or false; on by default for rate-limited platforms'),
    quiet: quietSchema.optional().describe('Quiet hours: messages are held, then released as one digest'),
    locale: z.enum(['zh-CN', 'en']).optional().describe('Language of digest headlines (default zh-CN)'),
  })
  .strict()

/** Keyed by a chat_key ("qq-group_123") or an adapter instance name ("qq", every chat of it); a chat's entry wins field by field. */
export const chatsSchema = z.record(z.string().min(1), chatShapingSchema).default({})

export type ChatShaping = z.output<typeof chatShapingSchema>
export type DigestSettings = Exclude<z.output<typeof digestSchema>, false>
export type QuietSettings = z.output<typeof quietSchema>
