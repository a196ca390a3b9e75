// Admin routes for the built-in web chat rooms: list, messages after a seq, and a live SSE stream that can resume.
import { z } from 'zod'
import type { HostEventMap } from '../../host/events.js'
import { HookcatError } from '../../util/errors.js'
import type { AdminApp } from '../app.js'
import { knownSecrets } from '../scrub.js'
import { openStream } from '../sse.js'
import { intParam, query, ROOM } from '../validate.js'

type WebMessage = HostEventMap['web.message'][0]

const messagesQuery = z.object({ after: intParam(0, Number.MAX_SAFE_INTEGER), limit: intParam(1, 500) })
/** Backlog sent to a (re)connecting stream before live events; older messages are read with the messages route. */
const BACKLOG_PAGES = 5
const PAGE = 200

function room(name: string): string {
  if (!ROOM.test(name)) throw new HookcatError('BAD_REQUEST', 'A room name is 1-128 letters, digits or _ . @ : -')
  return name
}

export function webRoomRoutes(app: AdminApp): void {
  app.get('/web/rooms', async (c) => c.json({ rooms: await c.var.host.storage.webRooms() }))

  app.get('/web/rooms/:room/messages', async (c) => {
    const name = room(c.req.param('room'))
    const { after, limit } = query(c, messagesQuery)
    return c.json({ room: name, messages: await c.var.host.storage.webMessages(name, after ?? 0, limit ?? 200) })
  })

  app.get('/web/rooms/:room/stream', (c) => {
    const name = room(c.req.param('room'))
    const resumeFrom = Number(c.req.header('last-event-id') ?? c.req.query('after') ?? 0)
    const host = c.var.host
    return openStream(c, c.var.streams, () => knownSecrets(host), async (send) => {
      // Listen first and hold live events while the backlog is read, so nothing falls between the two.
      let last = Number.isSafeInteger(resumeFrom) && resumeFrom > 0 ? resumeFrom : 0
      let held: WebMessage[] | undefined = []
      const emit = (m: WebMessage) => (m.seq > last ? ((last = m.seq), send({ id: String(m.seq), data: m })) : Promise.resolve())
      const listener = (m: WebMessage) => {
        if (m.room !== name) return
        if (held) held.push(m)
        else void emit(m)
      }
      host.events.on('web.message', listener)
      for (let page = 0; page < BACKLOG_PAGES; page++) {
        const rows = await host.storage.webMessages(name, last, PAGE)
        for (const row of rows) await emit({ seq: row.seq, room: row.room, message: row.message, createdAt: row.createdAt })
        if (rows.length < PAGE) break
      }
      const queued = held
      held = undefined
      for (const m of queued.sort((a, b) => a.seq - b.seq)) await emit(m)
      return () => host.events.off('web.message', listener)
    })
  })
}
