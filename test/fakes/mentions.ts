// Who a platform would actually notify for a request it took, by its documented mention rules ("all" for @all);
// text that merely looks like a mention (escaped, or not backed by the payload's mention fields) notifies nobody.
import type { Recorded } from './platform.js'

/* eslint-disable @typescript-eslint/no-explicit-any */
const uniq = (xs: string[]): string[] => [...new Set(xs)]

function onebot(b: any): string[] {
  return (b.message ?? []).filter((s: any) => s.type === 'at').map((s: any) => String(s.data.qq))
}

function telegram(b: any): string[] {
  // HTML: <a href="tg://user?id=…">; MarkdownV2: [label](tg://user?id=…). Telegram has no @all.
  return [...String(b.text).matchAll(/tg:\/\/user\?id=(\d+)/g)].map((m) => m[1])
}

function discord(b: any): string[] {
  const parse: string[] = b.allowed_mentions?.parse ?? ['users', 'roles', 'everyone']
  const users: string[] | undefined = b.allowed_mentions?.users
  // Mentions ping from content only (embeds never ping), limited by allowed_mentions.
  const content = String(b.content ?? '')
  const out = [...content.matchAll(/<@!?(\d+)>/g)].map((m) => m[1]).filter((id) => parse.includes('users') || (users ?? []).includes(id))
  if (parse.includes('everyone') && /@(everyone|here)/.test(content)) out.push('all')
  return out
}

/** The texts Slack parses for mentions: the message text and mrkdwn objects (plain_text headers are shown as is). */
function mrkdwnTexts(node: any, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => mrkdwnTexts(n, out))
  else if (node && typeof node === 'object') {
    if (node.type === 'mrkdwn' && typeof node.text === 'string') out.push(node.text)
    for (const [k, v] of Object.entries(node)) if (k !== 'text' || typeof v === 'object') mrkdwnTexts(v, out)
  }
  return out
}

function slack(b: any): string[] {
  const all = [String(b.text ?? ''), ...mrkdwnTexts(b.blocks ?? [])].join('\n')
  const out = [...all.matchAll(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g)].map((m) => m[1])
  if (/<!(channel|here|everyone)(\|[^>]*)?>/.test(all)) out.push('all')
  return out
}

function dingtalk(b: any): string[] {
  // DingTalk pings a listed mobile or userId only where the text also says "@<it>".
  const text = String(b.markdown?.text ?? b.text?.content ?? '')
  const listed: string[] = [...(b.at?.atMobiles ?? []), ...(b.at?.atUserIds ?? [])]
  const out = listed.filter((id) => text.includes(`@${id}`))
  if (b.at?.isAtAll === true) out.push('all')
  return out
}

function wecom(b: any): string[] {
  if (b.msgtype === 'text') return [...(b.text?.mentioned_list ?? []), ...(b.text?.mentioned_mobile_list ?? [])].map((id: string) => (id === '@all' ? 'all' : id))
  return [...String(b.markdown?.content ?? '').matchAll(/<@([^>\s]+)>/g)].map((m) => (m[1] === 'all' ? 'all' : m[1]))
}

function feishu(b: any): string[] {
  const post = b.content?.post
  if (post) {
    const lang: any = Object.values(post)[0]
    return (lang?.content ?? []).flat().filter((s: any) => s.tag === 'at').map((s: any) => String(s.user_id))
  }
  return [...String(b.content?.text ?? '').matchAll(/<at user_id="([^"]+)">/g)].map((m) => m[1])
}

const BY_PLATFORM: Record<string, (b: any) => string[]> = { onebot_v11: onebot, telegram, discord, slack, dingtalk, wecom, feishu }

/** The ids a platform notifies for one request (in order, each once). */
export function notified(platform: string, req: Recorded): string[] {
  const read = BY_PLATFORM[platform]
  if (!read) throw new Error(`no mention rules for ${platform}`)
  return uniq(read(req.json ?? {}))
}
