// What every delivered message must satisfy on every platform: nothing said twice, one icon, within limits, valid markup, no holes.
import type { Message } from '../../src/host/messages.js'
import { dingtalkProblems, discordProblems, feishuProblems, onebotProblems, slackProblems, telegramProblems, telegramVisible, wecomProblems } from '../fakes/limits.js'
import { notified } from '../fakes/mentions.js'
import type { Delivery } from './platforms.js'

/** What a reader of one platform sees: lines of text, and link targets that show a label instead of the URL. */
export interface View {
  lines: string[]
  /** URLs behind labels (href, embed url), each counted as a showing of that URL. */
  targets: string[]
  /** The line that says what happened (notification, subject, title, first line). */
  headlines: string[]
  problems: string[]
}

const DEFAULT_MAX_PARTS = 10
const PART_MARKER = /^\(\d+\/\d+\)$/
const TRUNCATED = '… [truncated]'
const URL = /https?:\/\/[^\s<>()"'\]|｜]+[^\s<>()"'\].,;:!?|｜）]/g

const decode = (s: string): string => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&')

/** Replaces a link by its label, remembering the target when the label is something else. */
function unlink(s: string, pattern: RegExp, targets: string[], order: 'label-url' | 'url-label'): string {
  return s.replace(pattern, (_, a: string, b: string) => {
    const [label, url] = order === 'label-url' ? [a, b] : [b ?? a, a]
    const u = decode(url.replace(/^<|>$/g, ''))
    const l = decode(label)
    if (l !== u) targets.push(u)
    return l
  })
}

function markdownView(text: string, targets: string[]): string[] {
  return unlink(text, /\[([^\]]*)\]\(([^)\s]+)\)/g, targets, 'label-url')
    .split('\n')
    .map((l) => l.replace(/ {2}$/, '').replace(/^#{1,6} /, '').replace(/\*\*/g, ''))
}

function viewOf(d: Delivery, message: Message): View {
  const v: View = { lines: [], targets: [], headlines: [], problems: [] }
  // OneBot's get_group_at_all_remain question (before an @all) is a request, not a part of the message.
  const parts = (d.parts as any[]).filter((p) => d.adapter !== 'onebot_v11' || /\/send_(group|private)_msg$/.test(p.request))
  const ofParts = <T>(f: (p: any, i: number) => T) => parts.map(f)
  switch (d.adapter) {
    case 'onebot_v11':
      ofParts((p) => {
        v.problems.push(...onebotProblems(p.body))
        v.lines.push(...p.body.message.filter((s: any) => s.type === 'text').map((s: any) => s.data.text).join('').split('\n'))
      })
      break
    case 'telegram':
      ofParts((p) => {
        v.problems.push(...telegramProblems(p.body))
        const text = unlink(p.body.text, /<a href="([^"]*)">([\s\S]*?)<\/a>/g, v.targets, 'url-label')
        const seen = telegramVisible(text, p.body.parse_mode)
        v.lines.push(...('text' in seen ? seen.text : text).split('\n'))
      })
      break
    case 'discord':
      ofParts((p) => {
        v.problems.push(...discordProblems(p.body))
        const parse: unknown[] = p.body.allowed_mentions?.parse ?? ['everyone']
        if (parse.includes('everyone') || parse.includes('roles')) v.problems.push('allowed_mentions lets @everyone or roles through')
        const md = (s: string) => markdownView(unlink(s, /\[([^\]]*)\]\(<([^>]+)>\)/g, v.targets, 'label-url'), v.targets).map((l) => l.replace(/\\(.)/g, '$1'))
        if (p.body.content) v.lines.push(...md(p.body.content))
        for (const e of p.body.embeds ?? []) {
          if (e.author?.name) v.lines.push(e.author.name)
          if (e.title) {
            v.headlines.push(md(e.title)[0])
            v.lines.push(...md(e.title))
          }
          if (e.url) v.targets.push(e.url)
          if (e.description) v.lines.push(...md(e.description))
          for (const f of e.fields ?? []) v.lines.push(`${md(f.name)[0]}: ${md(f.value).join(' ')}`)
        }
      })
      break
    case 'slack':
      ofParts((p) => {
        v.problems.push(...slackProblems(p.body))
        const mrkdwn = (s: string) => unlink(s, /<([^|>]+)\|([^>]*)>/g, v.targets, 'url-label').replace(/<(https?:[^>]+)>/g, '$1').split('\n').map(decode)
        if (!p.body.blocks) return v.lines.push(...mrkdwn(p.body.text))
        v.headlines.push(decode(p.body.text))
        for (const b of p.body.blocks) {
          if (b.type === 'header') v.lines.push(b.text.text)
          for (const e of b.type === 'context' ? b.elements : []) v.lines.push(...(e.type === 'mrkdwn' ? mrkdwn(e.text) : [e.text]))
          if (b.type === 'section' && b.text) v.lines.push(...mrkdwn(b.text.text))
          for (const f of b.type === 'section' ? (b.fields ?? []) : []) v.lines.push(mrkdwn(f.text).join(': '))
        }
      })
      break
    case 'feishu':
      ofParts((p, i) => {
        v.problems.push(...feishuProblems(Buffer.from(JSON.stringify(p.body)), p.body))
        const post = p.body.content?.post?.zh_cn
        if (i === 0 && post?.title) v.lines.push(post.title)
        for (const para of post?.content ?? []) {
          v.lines.push(
            para
              .map((s: any) => {
                if (s.tag === 'a' && s.text !== s.href) v.targets.push(s.href)
                return s.tag === 'at' ? `@${s.user_id}` : (s.text ?? '')
              })
              .join(''),
          )
        }
      })
      break
    case 'dingtalk':
      ofParts((p) => {
        v.problems.push(...dingtalkProblems(Buffer.from(JSON.stringify(p.body)), p.body))
        v.headlines.push(p.body.markdown.title)
        v.lines.push(...markdownView(p.body.markdown.text, v.targets))
      })
      break
    case 'wecom':
      ofParts((p) => {
        v.problems.push(...wecomProblems(p.body))
        v.lines.push(...(p.body.msgtype === 'markdown' ? markdownView(p.body.markdown.content, v.targets) : p.body.text.content.split('\n')))
      })
      break
    case 'email':
      for (const mail of d.mails) {
        v.headlines.push(String(mail.parsed.subject ?? ''))
        v.lines.push(...String(mail.parsed.text ?? '').split('\n'))
        // The HTML part says the same as the text part: checked on its own for holes and markup, not counted twice.
        const html = String(mail.parsed.html ?? '')
        if (/<script|\son\w+=|javascript:/i.test(html)) v.problems.push('the HTML part has active content')
        if (/\bundefined\b|\bNaN\b|\[object Object\]/.test(html)) v.problems.push('a hole in the HTML part')
      }
      break
    case 'web':
      for (const m of parts as Message[]) {
        if (m.title) v.lines.push(m.title)
        if (m.source) v.lines.push(m.source)
        v.lines.push(...(m.markdown ?? m.text).split('\n'))
        for (const f of m.fields ?? []) v.lines.push(`${f.name}: ${f.value}`)
        if (m.link) v.targets.push(m.link.url)
      }
      break
    case 'console':
      v.lines.push(...(parts as string[]).join('').split('\n').map((l) => l.replace(/^\[[^\]]+\] /, '').replace(/^ {2}│ ?/, '')))
      break
  }
  if (!v.headlines.length && message.title) v.headlines.push(v.lines.find((l) => l.trim() && !PART_MARKER.test(l.trim())) ?? '')
  return v
}

const LEADING_ICONS = /^(?:\p{Extended_Pictographic}[\uFE0F\u200D\p{Extended_Pictographic}]*\s*)+/u

/** A line as what it says: without leading icons, a leading "[source]" and bold markers. */
export function sameLine(line: string): string {
  const rest = line.replace(LEADING_ICONS, '').replace(/^\[[^\]]*\]\s*/, '').replace(LEADING_ICONS, '')
  return rest.replace(/\*\*/g, '').trim()
}

/** How many icons open a headline, the "[source]" context skipped ("🔴 [acme] 🔥 x" has two). */
export function leadingIcons(headline: string): number {
  const rest = headline.trim().replace(/^\[hookcat\]\s*/, '')
  const first = LEADING_ICONS.exec(rest)?.[0] ?? ''
  const after = rest.slice(first.length).replace(/^\[[^\]]*\]\s*/, '')
  const second = rest.slice(first.length) === after ? '' : (LEADING_ICONS.exec(after)?.[0] ?? '')
  const count = (s: string) => [...s.matchAll(/\p{Extended_Pictographic}(?:\uFE0F|\u200D\p{Extended_Pictographic})*/gu)].length
  return count(first) + count(second)
}

const notifiedAll = (adapter: string, r: Parameters<typeof notified>[1]): boolean => {
  try {
    return notified(adapter, r).includes('all')
  } catch {
    return false
  }
}

/** Every broken rule of one sample's deliveries, as "case: problem [the adapters where it happens]". */
export function invariantProblems(key: string, message: Message | undefined, deliveries: Delivery[]): string[] {
  if (!message) return []
  const found = new Map<string, string[]>()
  for (const d of deliveries) {
    const v = viewOf(d, message)
    const say = (p: string) => found.set(p, [...(found.get(p) ?? []), d.adapter])
    v.problems.forEach(say)
    const lines = v.lines.map((l) => l.trim()).filter((l) => l && !PART_MARKER.test(l) && l !== TRUNCATED)
    const text = lines.join('\n')
    // A headline said again with the source or icon in front ("📦 x" and "📦 [acme/api] x") is still said twice.
    const seen = new Map<string, number>()
    for (const l of lines) {
      const said = sameLine(l)
      if (said) seen.set(said, (seen.get(said) ?? 0) + 1)
    }
    for (const [l, n] of seen) if (n > 1) say(`line said ${n} times: ${JSON.stringify(l).slice(0, 120)}`)
    const urls = new Map<string, number>()
    for (const u of [...(text.match(URL) ?? []), ...v.targets]) urls.set(u, (urls.get(u) ?? 0) + 1)
    for (const [u, n] of urls) if (n > 1) say(`URL shown ${n} times: ${u}`)
    for (const h of v.headlines) if (leadingIcons(h) > 1) say(`${leadingIcons(h)} icons in the headline: ${JSON.stringify(h).slice(0, 100)}`)
    const hole = /\bundefined\b|\bNaN\b|\[object Object\]/.exec(text)
    if (hole) say(`a hole in the text: ${hole[0]}`)
    if (d.parts.length === 0) say('nothing delivered')
    // @all only when the message asks for it (a route's mentionAll), never from anything in the payload.
    if (!message.mentionAll && 'raw' in d) for (const r of d.raw) if (/\/get_group_at_all_remain$/.test(r.path) || (r.json && notifiedAll(d.adapter, r))) say('@all without mentionAll')
    // Every adapter's maxParts defaults to 10 (src/adapters/shared/config.ts): more parts would be a truncation bug.
    if (d.parts.length > DEFAULT_MAX_PARTS) say(`${d.parts.length} parts > ${DEFAULT_MAX_PARTS}`)
  }
  return [...found].map(([p, adapters]) => `${key}: ${p} [${adapters.length === deliveries.length ? 'every adapter' : adapters.join(', ')}]`)
}
