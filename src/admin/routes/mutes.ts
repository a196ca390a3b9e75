// Admin routes for mutes: list muted chats with what they hold, mute a chat for a while, unmute it.
import { z } from 'zod'
import { parseMuteDuration } from '../../host/outbox/quiet.js'
import { HookcatError } from '../../util/errors.js'
import type { AdminApp } from '../app.js'
import { jsonBody, validationError } from '../validate.js'

const muteBody = z
  .object({
    chatKey: z.string().min(1).max(300),
    duration: z.string().max(40).optional(),
    until: z.number().int().positive().optional(),
  })
  .strict()
  .refine((b) => (b.duration === undefined) !== (b.until === undefined), 'give exactly one of duration and until')

export function muteRoutes(app: AdminApp): void {
  app.get('/mutes', async (c) => c.json({ mutes: await c.var.host.outbox.mutes() }))

  app.post('/mutes', async (c) => {
    const body = await jsonBody(c, muteBody)
    const outbox = c.var.host.outbox
    if (body.until !== undefined) return c.json(await outbox.mute(body.chatKey, body.until))
    const ms = parseMuteDuration(body.duration!)
    if (ms === undefined) throw validationError({ duration: 'must be a duration such as "30m", "2h", "1d" or "1h30m" (at most a year)' })
    return c.json(await outbox.muteFor(body.chatKey, ms))
  })

  app.delete('/mutes/:chatKey', async (c) => {
    const chatKey = c.req.param('chatKey')
    const unmuted = await c.var.host.outbox.unmute(chatKey)
    if (!unmuted) throw new HookcatError('NOT_FOUND', 'That chat is not muted')
    return c.json({ chatKey, unmuted })
  })
}
