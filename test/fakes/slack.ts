// Fake Slack incoming webhook: POST /services/T/B/X {text, blocks} within Block Kit limits, plain-text answers ("ok", "invalid_payload"), 429 with Retry-After.
import { slackProblems } from './limits.js'
import { FakePlatform, type PlatformSpec, type Recorded } from './platform.js'

const text = (status: number, body: string, headers?: Record<string, string>) => ({ status, body, headers })

export function slackSpec(paths: string[]): PlatformSpec {
  return {
    name: 'slack',
    check(req: Recorded) {
      if (!paths.includes(req.path)) return text(404, 'no_service')
      if (!req.json) return text(400, 'invalid_payload')
      const [problem] = slackProblems(req.json)
      return problem ? text(400, problem.split(':')[0]) : undefined
    },
    ok: () => text(200, 'ok'),
    rateLimited: (s) => text(429, 'rate_limited', { 'retry-after': String(s) }),
    serverError: () => text(500, 'internal_error'),
    textOf: (req) => String(req.json?.text ?? ''),
    chatOf: (req) => req.path,
  }
}

export const fakeSlack = (paths: string[]): FakePlatform => new FakePlatform(slackSpec(paths))
