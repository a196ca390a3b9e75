// Fake DingTalk robot: /robot/send?access_token=…&timestamp=…&sign=…, signature as documented, 20,000-byte limit, errcodes.
import { createHmac } from 'node:crypto'
import { DINGTALK_BODY_LIMIT, dingtalkProblems } from './limits.js'
import { FakePlatform, json, type PlatformSpec, type Recorded } from './platform.js'

export { DINGTALK_BODY_LIMIT }

export function dingtalkSpec(robots: Record<string, string | undefined>, now: () => number = Date.now): PlatformSpec {
  return {
    name: 'dingtalk',
    check(req: Recorded) {
      const token = req.query.get('access_token') ?? ''
      if (req.path !== '/robot/send' || !(token in robots)) return json(200, { errcode: 300001, errmsg: 'token is not exist' })
      const secret = robots[token]
      if (secret) {
        // Documented: HMAC-SHA256 with the secret as key over "{timestamp}\n{secret}", base64, then URL-encoded; ms, within 1 h.
        const ts = req.query.get('timestamp') ?? ''
        const expected = createHmac('sha256', secret).update(`${ts}\n${secret}`).digest('base64')
        const rawSign = /[?&]sign=([^&]*)/.exec(req.path + '?' + req.query.toString())?.[1]
        if (!/^\d{13}$/.test(ts) || Math.abs(now() - Number(ts)) > 3_600_000 || req.query.get('sign') !== expected || !rawSign) {
          return json(200, { errcode: 310000, errmsg: 'sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]' })
        }
      }
      const [problem] = dingtalkProblems(req.raw, req.json)
      if (problem?.startsWith('460101')) return json(200, { errcode: 460101, errmsg: 'message too long, exceed 20000 bytes' })
      if (problem) return json(200, { errcode: 40035, errmsg: '缺少参数 json' })
      return undefined
    },
    ok: () => json(200, { errcode: 0, errmsg: 'ok' }),
    rateLimited: () => json(200, { errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' }),
    serverError: () => json(500, { errcode: -1, errmsg: '系统繁忙' }),
    textOf: (req) => String(req.json?.markdown?.text ?? ''),
    chatOf: (req) => req.query.get('access_token') ?? '',
  }
}

export const fakeDingTalk = (robots: Record<string, string | undefined>, now?: () => number): FakePlatform => new FakePlatform(dingtalkSpec(robots, now))
