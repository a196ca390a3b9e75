// Fake Discord webhook endpoint: /api/webhooks/{id}/{token}?wait=true, content ≤ 2000, 429 with retry_after and Retry-After.
import { FakePlatform, json, type PlatformSpec, type Recorded } from './platform.js'

export function discordSpec(hooks: Record<string, string>): PlatformSpec {
  let nextId = 1
  return {
    name: 'discord',
    check(req: Recorded) {
      const m = /^\/api\/webhooks\/(\d+)\/([\w-]+)$/.exec(req.path)
      if (!m || hooks[m[1]] !== m[2]) return json(404, { message: 'Unknown Webhook', code: 10015 })
      const b = req.json
      if (!b) return json(400, { message: 'Cannot send an empty message', code: 50006 })
      const content = typeof b.content === 'string' ? b.content : ''
      const embeds = Array.isArray(b.embeds) ? b.embeds : []
      if (!content.trim() && embeds.length === 0) return json(400, { message: 'Cannot send an empty message', code: 50006 })
      if (content.length > 2000) return json(400, { message: 'Invalid Form Body', code: 50035, errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' }] } } })
      const embedSize = embeds.reduce((n: number, e: any) => n + (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.fields ?? []).reduce((k: number, f: any) => k + f.name.length + f.value.length, 0), 0)
      if (embedSize > 6000 || embeds.some((e: any) => (e.description?.length ?? 0) > 4096)) return json(400, { message: 'Invalid Form Body', code: 50035 })
      return undefined
    },
    ok: (req) => (req.query.get('wait') === 'true' ? json(200, { id: String(nextId++), content: req.json.content ?? '', embeds: req.json.embeds ?? [] }) : { status: 204 }),
    rateLimited: (s) => json(429, { message: 'You are being rate limited.', retry_after: s, global: false }, { 'retry-after': String(Math.ceil(s)), 'x-ratelimit-remaining': '0', 'x-ratelimit-reset-after': String(s) }),
    serverError: () => json(500, { message: '500: Internal Server Error', code: 0 }),
    textOf: (req) => String(req.json?.content ?? '') + (req.json?.embeds ?? []).map((e: any) => `${e.title ?? ''}\n${e.description ?? ''}`).join(''),
    chatOf: (req) => req.path,
  }
}

export const fakeDiscord = (hooks: Record<string, string>): FakePlatform => new FakePlatform(discordSpec(hooks))
