// Fake WeCom group robot: /cgi-bin/webhook/send?key=KEY, markdown 4096 / text 2048 bytes, errcodes in the body.
import { FakePlatform, json, type PlatformSpec, type Recorded } from './platform.js'

export function wecomSpec(keys: string[]): PlatformSpec {
  return {
    name: 'wecom',
    check(req: Recorded) {
      if (req.path !== '/cgi-bin/webhook/send' || !keys.includes(req.query.get('key') ?? '')) return json(200, { errcode: 93000, errmsg: 'invalid webhook url, hint: [1]' })
      const b = req.json
      if (b?.msgtype === 'markdown') {
        if (typeof b.markdown?.content !== 'string' || !b.markdown.content) return json(200, { errcode: 44004, errmsg: 'empty content' })
        if (Buffer.byteLength(b.markdown.content) > 4096) return json(200, { errcode: 40058, errmsg: 'markdown.content exceed max length 4096' })
        return undefined
      }
      if (b?.msgtype === 'text') {
        if (typeof b.text?.content !== 'string' || !b.text.content) return json(200, { errcode: 44004, errmsg: 'empty content' })
        if (Buffer.byteLength(b.text.content) > 2048) return json(200, { errcode: 40058, errmsg: 'text.content exceed max length 2048' })
        return undefined
      }
      return json(200, { errcode: 40008, errmsg: 'invalid message type' })
    },
    ok: () => json(200, { errcode: 0, errmsg: 'ok' }),
    rateLimited: () => json(200, { errcode: 45009, errmsg: 'api freq out of limit' }),
    serverError: () => json(503, { errcode: -1, errmsg: 'system busy' }),
    textOf: (req) => String(req.json?.markdown?.content ?? req.json?.text?.content ?? ''),
    chatOf: (req) => req.query.get('key') ?? '',
  }
}

export const fakeWeCom = (keys: string[]): FakePlatform => new FakePlatform(wecomSpec(keys))
