// Fake Discord webhook endpoint: /api/webhooks/{id}/{token}?wait=true, content and embed limits, 429 with retry_after and Retry-After.
import { discordProblems } from './limits.js'
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
      const problems = discordProblems(b)
      if (problems[0] === 'Cannot send an empty message') return json(400, { message: problems[0], code: 50006 })
      if (problems.length) return json(400, { message: 'Invalid Form Body', code: 50035, errors: problems })
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
