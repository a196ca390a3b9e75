// Fake Telegram Bot API: sendMessage with token in the path, 4096 characters after entity parsing, 429 with retry_after.
import { telegramProblems } from './limits.js'
import { FakePlatform, json, type PlatformSpec, type Recorded } from './platform.js'

export interface TelegramFakeState {
  /** setWebhook calls: the url and secret_token hookcat registered. */
  webhooks: Array<{ url: string; secret_token?: string; allowed_updates?: string[] }>
  /** getChatMember answers: "<chat id>:<user id>" → status (creator, administrator, member, …). */
  members: Map<string, string>
}

export function telegramSpec(token: string, state: TelegramFakeState = { webhooks: [], members: new Map() }): PlatformSpec & TelegramFakeState {
  let nextId = 1
  return {
    ...state,
    name: 'telegram',
    check(req: Recorded) {
      const m = /^\/bot([^/]+)\/(\w+)$/.exec(req.path)
      if (!m || m[1] !== token) return json(401, { ok: false, error_code: 401, description: 'Unauthorized' })
      // The identity check hookcat makes at start-up (adapter probe).
      if (m[2] === 'getMe') return json(200, { ok: true, result: { id: 42, is_bot: true, first_name: 'hookcat', username: 'hookcat_test_bot' } })
      if (m[2] === 'setWebhook') {
        if (typeof req.json?.url !== 'string' || !/^https?:\/\//.test(req.json.url)) return json(400, { ok: false, error_code: 400, description: 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook' })
        state.webhooks.push(req.json)
        return json(200, { ok: true, result: true, description: 'Webhook was set' })
      }
      if (m[2] === 'getChatMember') {
        const status = state.members.get(`${req.json?.chat_id}:${req.json?.user_id}`)
        if (!status) return json(400, { ok: false, error_code: 400, description: 'Bad Request: member not found' })
        return json(200, { ok: true, result: { status, user: { id: req.json.user_id, is_bot: false, first_name: 'U' } } })
      }
      if (m[2] !== 'sendMessage') return json(404, { ok: false, error_code: 404, description: 'Not Found: method not found' })
      const b = req.json
      if (!b || (typeof b.chat_id !== 'string' && typeof b.chat_id !== 'number')) return json(400, { ok: false, error_code: 400, description: 'Bad Request: chat_id is empty' })
      if (typeof b.text !== 'string' || b.text.trim() === '') return json(400, { ok: false, error_code: 400, description: 'Bad Request: message text is empty' })
      if (b.parse_mode !== undefined && !['HTML', 'MarkdownV2', 'Markdown'].includes(b.parse_mode)) return json(400, { ok: false, error_code: 400, description: 'Bad Request: unsupported parse_mode' })
      const [problem] = telegramProblems(b)
      if (problem) return json(400, { ok: false, error_code: 400, description: `Bad Request: ${problem}` })
      return undefined
    },
    ok: (req) => json(200, { ok: true, result: { message_id: nextId++, chat: { id: req.json.chat_id }, date: Math.floor(Date.now() / 1000), text: req.json.text } }),
    rateLimited: (s) => json(429, { ok: false, error_code: 429, description: `Too Many Requests: retry after ${s}`, parameters: { retry_after: s } }),
    serverError: () => json(502, { ok: false, error_code: 502, description: 'Bad Gateway' }),
    textOf: (req) => String(req.json?.text ?? ''),
    chatOf: (req) => String(req.json?.chat_id),
  }
}

export const fakeTelegram = (token: string): FakePlatform => new FakePlatform(telegramSpec(token))

/** An update as Telegram POSTs it to a webhook, with the secret token header it was registered with. */
export async function postUpdate(url: string, update: unknown, secretToken?: string): Promise<number> {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (secretToken !== undefined) headers['x-telegram-bot-api-secret-token'] = secretToken
  const res = await fetch(url, { method: 'POST', headers, body: typeof update === 'string' ? update : JSON.stringify(update) })
  await res.arrayBuffer()
  return res.status
}

export function groupUpdate(u: { updateId: number; chatId: number; userId: number; messageId: number; text: string }): Record<string, unknown> {
  return {
    update_id: u.updateId,
    message: { message_id: u.messageId, from: { id: u.userId, is_bot: false, first_name: 'Ann' }, chat: { id: u.chatId, title: 'ops', type: 'supergroup' }, date: Math.floor(Date.now() / 1000), text: u.text },
  }
}
