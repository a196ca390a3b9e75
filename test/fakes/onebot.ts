// Fake OneBot v11 HTTP API (NapCat/go-cqhttp style): send_group_msg / send_private_msg, Bearer access token, retcode replies.
import { FakePlatform, json, type PlatformSpec, type Recorded } from './platform.js'

export interface OneBotOptions {
  accessToken?: string
  /** What get_group_at_all_remain answers: whether the bot may @all, and how many it has left today (default 0: none). */
  atAll?: { can: boolean; remain: number }
}

const isAtAll = (s: any): boolean => s?.type === 'at' && String(s?.data?.qq) === 'all'
// An at segment names a QQ number or "all"; anything else the implementation refuses.
const badAt = (s: any): boolean => s?.type === 'at' && !/^(all|[1-9]\d{4,11})$/.test(String(s?.data?.qq))

const segmentsText = (req: Recorded): string =>
  Array.isArray(req.json?.message) ? req.json.message.filter((s: any) => s.type === 'text').map((s: any) => s.data.text).join('') : String(req.json?.message ?? '')

export function onebotSpec(options: OneBotOptions = {}): PlatformSpec & { retcodes: number[]; atAll: { can: boolean; remain: number }; atAllQueries: number[] } {
  let nextId = 1
  const spec = {
    name: 'onebot_v11',
    /** Retcodes to answer next (the implementation's own failures), in order. */
    retcodes: [] as number[],
    /** @all quota of the groups (one counter for the fake); tests may change it. */
    atAll: { ...(options.atAll ?? { can: false, remain: 0 }) },
    /** get_group_at_all_remain calls seen, by group. */
    atAllQueries: [] as number[],
    check(req: Recorded) {
      if (req.method !== 'POST') return json(405, { status: 'failed', retcode: 1404, message: 'method not allowed' })
      if (options.accessToken) {
        const auth = req.headers.authorization
        if (!auth) return json(401, { status: 'failed', retcode: 1403, message: 'token required' })
        if (auth !== `Bearer ${options.accessToken}`) return json(403, { status: 'failed', retcode: 1403, message: 'token verify failed' })
      }
      const action = req.path.slice(1)
      // The identity check hookcat makes at start-up (adapter probe).
      if (action === 'get_login_info') return json(200, { status: 'ok', retcode: 0, data: { user_id: 10001, nickname: 'hookcat bot' } })
      if (action === 'get_group_at_all_remain') {
        if (typeof req.json?.group_id !== 'number') return json(200, { status: 'failed', retcode: 100, message: 'invalid params', wording: '参数错误' })
        spec.atAllQueries.push(req.json.group_id)
        const remain = spec.atAll.can ? spec.atAll.remain : 0
        return json(200, { status: 'ok', retcode: 0, data: { can_at_all: spec.atAll.can, remain_at_all_count_for_group: remain, remain_at_all_count_for_uin: remain } })
      }
      if (action !== 'send_group_msg' && action !== 'send_private_msg') return json(404, { status: 'failed', retcode: 1404, message: 'API not found' })
      const idField = action === 'send_group_msg' ? 'group_id' : 'user_id'
      const b = req.json
      if (!b || typeof b[idField] !== 'number' || !Array.isArray(b.message) || b.message.some((s: any) => typeof s?.type !== 'string' || typeof s?.data !== 'object')) {
        return json(200, { status: 'failed', retcode: 100, message: 'invalid params', wording: '参数错误' })
      }
      if (b.message.some(badAt)) return json(200, { status: 'failed', retcode: 100, message: 'invalid at segment', wording: '参数错误' })
      if (b.message.some(isAtAll)) {
        // QQ refuses @all without permission or quota; a private chat has no @all at all.
        if (action !== 'send_group_msg' || !spec.atAll.can || spec.atAll.remain <= 0) return json(200, { status: 'failed', retcode: 120, message: 'at all not allowed', wording: '@全体成员 次数不足' })
        spec.atAll.remain--
      }
      const code = spec.retcodes.shift()
      if (code !== undefined) return json(200, { status: 'failed', retcode: code, message: 'send failed', wording: '发送失败' })
      return undefined
    },
    ok: () => json(200, { status: 'ok', retcode: 0, data: { message_id: nextId++ } }),
    rateLimited: (s: number) => json(429, { status: 'failed', retcode: 1429, message: 'rate limited' }, { 'retry-after': String(s) }),
    serverError: () => json(500, { status: 'failed', retcode: 200, message: 'internal error' }),
    textOf: segmentsText,
    chatOf: (req: Recorded) => String(req.json?.group_id ?? `p${req.json?.user_id}`),
  }
  return spec
}

export const fakeOneBot = (options: OneBotOptions = {}): FakePlatform => new FakePlatform(onebotSpec(options))
