// Fake Telegram Bot API: sendMessage with token in the path, 4096 characters after entity parsing, 429 with retry_after.
import { telegramProblems } from './limits.js'
import { FakePlatform, json, type PlatformSpec, type Recorded } from './platform.js'

export function telegramSpec(token: string): PlatformSpec {
  let nextId = 1
  return {
    name: 'telegram',
    check(req: Recorded) {
      const m = /^\/bot([^/]+)\/(\w+)$/.exec(req.path)
      if (!m || m[1] !== token) return json(401, { ok: false, error_code: 401, description: 'Unauthorized' })
      // The identity check hookcat makes at start-up (adapter probe).
      if (m[2] === 'getMe') return json(200, { ok: true, result: { id: 42, is_bot: true, first_name: 'hookcat', username: 'hookcat_test_bot' } })
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
