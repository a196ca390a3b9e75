// Fake WeCom group robot: /cgi-bin/webhook/send?key=KEY, markdown 4096 / text 2048 bytes, errcodes in the body.
import { wecomProblems } from './limits.js'
import { FakePlatform, json, type PlatformSpec, type Recorded } from './platform.js'

export function wecomSpec(keys: string[]): PlatformSpec {
  return {
    name: 'wecom',
    check(req: Recorded) {
      if (req.path !== '/cgi-bin/webhook/send' || !keys.includes(req.query.get('key') ?? '')) return json(200, { errcode: 93000, errmsg: 'invalid webhook url, hint: [1]' })
      const [problem] = wecomProblems(req.json)
      return problem ? json(200, { errcode: Number(problem.split(' ')[0]), errmsg: problem.split(' ').slice(1).join(' ') }) : undefined
    },
    ok: () => json(200, { errcode: 0, errmsg: 'ok' }),
    rateLimited: () => json(200, { errcode: 45009, errmsg: 'api freq out of limit' }),
    serverError: () => json(503, { errcode: -1, errmsg: 'system busy' }),
    textOf: (req) => String(req.json?.markdown?.content ?? req.json?.text?.content ?? ''),
    chatOf: (req) => req.query.get('key') ?? '',
  }
}

export const fakeWeCom = (keys: string[]): FakePlatform => new FakePlatform(wecomSpec(keys))
