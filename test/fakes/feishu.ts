// Fake Feishu/Lark custom bot: /open-apis/bot/v2/hook/{token}, signature check as documented, 20 KB body, codes in the body.
import { createHmac } from 'node:crypto'
import { feishuProblems } from './limits.js'
import { FakePlatform, json, type PlatformSpec, type Recorded } from './platform.js'

export function feishuSpec(bots: Record<string, string | undefined>, now: () => number = Date.now): PlatformSpec {
  return {
    name: 'feishu',
    check(req: Recorded) {
      const m = /^\/open-apis\/bot\/v2\/hook\/([\w-]+)$/.exec(req.path)
      if (!m || !(m[1] in bots)) return json(200, { code: 19001, msg: 'param invalid: incoming webhook access token invalid', data: {} })
      const b = req.json
      const secret = bots[m[1]]
      if (secret) {
        // Documented: key = "{timestamp}\n{secret}", message empty, base64; timestamp in seconds within an hour.
        const ts = Number(b?.timestamp)
        const expected = createHmac('sha256', `${b?.timestamp}\n${secret}`).update(Buffer.alloc(0)).digest('base64')
        if (!Number.isFinite(ts) || Math.abs(now() / 1000 - ts) > 3600 || b.sign !== expected) {
          return json(200, { code: 19021, msg: 'sign match fail or timestamp is not within one hour from current time', data: {} })
        }
      }
      const [problem] = feishuProblems(req.raw, b)
      if (problem) return json(problem.startsWith('request body') ? 400 : 200, { code: 9499, msg: problem, data: {} })
      return undefined
    },
    ok: () => json(200, { code: 0, msg: 'success', data: {} }),
    rateLimited: () => json(200, { code: 11232, msg: 'frequency limited psm[lark.oapi.app_platform_runtime]appID[1]', data: {} }),
    serverError: () => json(500, { code: 500, msg: 'internal error', data: {} }),
    textOf: (req) =>
      (req.json?.content?.post?.zh_cn?.content ?? []).map((p: any[]) => p.map((s) => s.text ?? (s.user_id ? `@${s.user_id}` : '')).join('')).join('\n'),
    chatOf: (req) => req.path,
  }
}

export const fakeFeishu = (bots: Record<string, string | undefined>, now?: () => number): FakePlatform => new FakePlatform(feishuSpec(bots, now))
