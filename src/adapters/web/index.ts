// The web adapter: messages to web-<room> are kept in storage as structured messages and streamed live to hookcat's chat view.
import { z } from 'zod'
import { defineAdapter } from '../../host/outbox/adapter.js'
import { cleanMessage } from '../render/clean.js'

const ROOM = /^[A-Za-z0-9_.@:-]{1,128}$/

export const webAdapter = defineAdapter({
  type: 'web',
  description: "hookcat's own chat view in the web UI (rooms kept in storage)",
  config: z.object({ type: z.literal('web').optional() }).strict(),
  create(_settings, context) {
    return {
      name: context.name,
      type: 'web',
      checkChannel: (room) => (ROOM.test(room) ? undefined : 'a web room name is 1-128 letters, digits or _ . @ : -'),
      async send(room, input, { messageId }) {
        // Stored as the structured message: the chat view (message-view.js) lays out title, body, fields and link itself.
        const message = cleanMessage(input)
        const createdAt = Date.now()
        // outbox_id is unique, so a retried send after a crash does not post the message twice.
        const [result] = await context.storage.write([{ op: 'web.insert', room, message, outboxId: messageId, createdAt }])
        if (result.changes) context.events.emit('web.message', { seq: result.seq ?? 0, room, message, createdAt })
      },
    }
  },
})
