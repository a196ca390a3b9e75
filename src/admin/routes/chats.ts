// Admin routes for chats: chat_keys seen in the outbox, configured adapters, sending a test message.
import { z } from 'zod'
import type { Host } from '../../host/host.js'
import { parseChatKey } from '../../host/outbox/chat-key.js'
import type { OutboxState } from '../../storage/types.js'
import type { AdminApp } from '../app.js'
import { jsonBody } from '../validate.js'

const sendBody = z.object({
  chatKey: z.string().min(1).max(300),
  message: z.union([z.string().min(1).max(100_000), z.record(z.string(), z.unknown())], { error: 'must be text or a message object' }),
})

/** Most recent outbox rows looked at to list chats; bounds the work of one request. */
const SCAN_LIMIT = 10_000
const PAGE = 1000

interface ChatSummary {
  chatKey: string
  adapter: string
  counts: Record<OutboxState, number>
  total: number
  lastAt: number
}

async function chatsSeen(host: Host): Promise<ChatSummary[]> {
  const chats = new Map<string, ChatSummary>()
  let before: number | undefined
  for (let scanned = 0; scanned < SCAN_LIMIT; scanned += PAGE) {
    const rows = await host.storage.listMessages({ beforeSeq: before, limit: PAGE })
    for (const row of rows) {
      let chat = chats.get(row.chatKey)
      if (!chat) {
        let adapter = ''
        try {
          adapter = parseChatKey(row.chatKey).adapter
        } catch {
          adapter = row.chatKey.split('-')[0] ?? ''
        }
        chat = { chatKey: row.chatKey, adapter, counts: { pending: 0, sending: 0, delivered: 0, dead: 0, discarded: 0, carried: 0 }, total: 0, lastAt: 0 }
        chats.set(row.chatKey, chat)
      }
      chat.counts[row.state]++
      chat.total++
      chat.lastAt = Math.max(chat.lastAt, row.createdAt)
    }
    if (rows.length < PAGE) break
    before = rows[rows.length - 1].seq
  }
  return [...chats.values()].sort((a, b) => b.lastAt - a.lastAt)
}

export function chatRoutes(app: AdminApp): void {
  app.get('/chats', async (c) => {
    const host = c.var.host
    const adapters = [...host.adapters.values()].map((a) => ({ name: a.name, type: a.type }))
    return c.json({ chats: await chatsSeen(host), adapters })
  })

  app.post('/send', async (c) => {
    const host = c.var.host
    const { chatKey, message } = await jsonBody(c, sendBody)
    const row = host.outbox.prepare(chatKey, message as Parameters<Host['outbox']['prepare']>[1])
    await host.outbox.store([row])
    return c.json({ id: row.id, chatKey }, 202)
  })
}
