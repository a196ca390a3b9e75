// Fake Telegram Bot API: sendMessage with token in the path, 4096 characters after entity parsing, 429 with retry_after.
import { FakePlatform, json, type PlatformSpec, type Recorded } from './platform.js'

const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"' }
const HTML_TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'a', 'code', 'pre', 'blockquote', 'tg-spoiler', 'span'])

/** The text a reader sees: Telegram counts its 4096 characters after entity parsing. */
function visible(text: string, mode: string | undefined): string | undefined {
  if (mode === 'HTML') {
    const stack: string[] = []
    for (const m of text.matchAll(/<\/?([a-z-]+)[^>]*>/g)) {
      if (!HTML_TAGS.has(m[1])) return undefined
      if (m[0].startsWith('</')) {
        if (stack.pop() !== m[1]) return undefined
      } else stack.push(m[1])
    }
    if (stack.length) return undefined
    if (/&(?!lt;|gt;|amp;|quot;|#\d+;)/.test(text)) return undefined
    return text.replace(/<[^>]+>/g, '').replace(/&(lt|gt|amp|quot);/g, (e) => ENTITIES[e])
  }
  if (mode === 'MarkdownV2') {
    // Every reserved character outside an entity must be escaped.
    if (/(^|[^\\])[.!#+=|{}-]/.test(text.replace(/```[\s\S]*?```|`[^`]*`|\]\([^)]*\)/g, ''))) return undefined
    return text.replace(/\\(.)/g, '$1')
  }
  return text
}

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
      const seen = visible(b.text, b.parse_mode)
      if (seen === undefined) return json(400, { ok: false, error_code: 400, description: "Bad Request: can't parse entities: unexpected end tag" })
      if ([...seen].length > 4096) return json(400, { ok: false, error_code: 400, description: 'Bad Request: message is too long' })
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
