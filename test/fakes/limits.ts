// Each platform's documented limits and markup rules as checks of a request body: the fakes refuse what fails, the golden invariants report it.

/** Telegram's HTML parse mode: these tags only (https://core.telegram.org/bots/api#html-style), balanced, entities known. */
export const TELEGRAM_HTML_TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'a', 'code', 'pre', 'blockquote', 'tg-spoiler', 'span', 'tg-emoji'])
const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"' }

/** The text a Telegram reader sees, or a reason the markup is refused ("can't parse entities"). */
export function telegramVisible(text: string, mode: string | undefined): { text: string } | { error: string } {
  if (mode === 'HTML') {
    const stack: string[] = []
    for (const m of text.matchAll(/<(\/?)([a-zA-Z-]*)([^>]*)>?/g)) {
      if (!m[0].endsWith('>')) return { error: `unclosed tag "${m[0].slice(0, 20)}"` }
      const tag = m[2].toLowerCase()
      if (!TELEGRAM_HTML_TAGS.has(tag)) return { error: `unsupported start tag "${tag}"` }
      if (m[1]) {
        if (stack.pop() !== tag) return { error: `unexpected end tag "${tag}"` }
      } else {
        if (tag === 'a' && !/^\s+href="[^"<>]*"\s*$/.test(m[3])) return { error: 'a tag without a quoted href' }
        stack.push(tag)
      }
    }
    if (stack.length) return { error: `unclosed tag "${stack.at(-1)}"` }
    if (/&(?!lt;|gt;|amp;|quot;|#\d+;|#x[0-9a-f]+;)/i.test(text)) return { error: 'unsupported entity' }
    return { text: text.replace(/<[^>]+>/g, '').replace(/&(lt|gt|amp|quot);/g, (e) => ENTITIES[e]).replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n))) }
  }
  if (mode === 'MarkdownV2') {
    // Outside code and link targets every one of _*[]()~`>#+-=|{}.! is escaped, or opens or closes an entity.
    const outside = text.replace(/```[\s\S]*?```|`(?:[^`\\]|\\.)*`|\]\((?:[^)\\]|\\.)*\)/g, '')
    if (/(^|[^\\])(\\\\)*[.!#+=|{}-]/.test(outside)) return { error: 'a reserved character is not escaped' }
    return { text: text.replace(/\\(.)/g, '$1') }
  }
  return { text }
}

const chars = (s: unknown): number => (typeof s === 'string' ? [...s].length : 0)

/** Problems Telegram would answer 400 for. */
export function telegramProblems(body: any): string[] {
  const out: string[] = []
  if (typeof body?.text !== 'string' || body.text.trim() === '') return ['message text is empty']
  const seen = telegramVisible(body.text, body.parse_mode)
  if ('error' in seen) return [`can't parse entities: ${seen.error}`]
  if (chars(seen.text) > 4096) out.push(`message is too long (${chars(seen.text)} > 4096 characters)`)
  return out
}

/** Discord's documented embed limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits). */
export const DISCORD_LIMITS = { content: 2000, embeds: 10, title: 256, description: 4096, fields: 25, fieldName: 256, fieldValue: 1024, footer: 2048, author: 256, total: 6000 }

export function discordProblems(body: any): string[] {
  const out: string[] = []
  const content = typeof body?.content === 'string' ? body.content : ''
  const embeds: any[] = Array.isArray(body?.embeds) ? body.embeds : []
  if (!content.trim() && embeds.length === 0) return ['Cannot send an empty message']
  if (content.length > DISCORD_LIMITS.content) out.push(`content ${content.length} > 2000`)
  if (embeds.length > DISCORD_LIMITS.embeds) out.push(`${embeds.length} embeds > 10`)
  let total = 0
  for (const e of embeds) {
    const fields: any[] = e.fields ?? []
    const check = (what: string, value: unknown, max: number) => {
      if (value === undefined) return
      if (typeof value !== 'string') out.push(`embed ${what} is not a string`)
      else if (value.length > max) out.push(`embed ${what} ${value.length} > ${max}`)
      else total += value.length
    }
    check('title', e.title, DISCORD_LIMITS.title)
    check('description', e.description, DISCORD_LIMITS.description)
    check('author.name', e.author?.name, DISCORD_LIMITS.author)
    check('footer.text', e.footer?.text, DISCORD_LIMITS.footer)
    if (fields.length > DISCORD_LIMITS.fields) out.push(`${fields.length} fields > 25`)
    for (const f of fields) {
      if (!f.name || !f.value) out.push('a field without name or value')
      check('field.name', f.name, DISCORD_LIMITS.fieldName)
      check('field.value', f.value, DISCORD_LIMITS.fieldValue)
    }
    if (e.url !== undefined && !/^https?:\/\/\S+$/.test(e.url)) out.push(`embed url is not a URL: ${e.url}`)
  }
  if (total > DISCORD_LIMITS.total) out.push(`embeds total ${total} > 6000`)
  return out
}

/** Block Kit limits (https://api.slack.com/reference/block-kit/blocks) and the ~12,000 characters of all blocks together. */
export const SLACK_LIMITS = { text: 40_000, blocks: 50, header: 150, sectionText: 3000, fields: 10, fieldText: 2000, contextElements: 10, total: 12_000 }
const SLACK_BLOCK_TYPES = new Set(['header', 'section', 'context', 'divider', 'actions', 'image', 'rich_text'])

function slackTextTotal(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + slackTextTotal(v), 0)
  if (!value || typeof value !== 'object') return 0
  return Object.entries(value).reduce((n, [k, v]) => n + (k === 'text' && typeof v === 'string' ? v.length : slackTextTotal(v)), 0)
}

export function slackProblems(body: any): string[] {
  const out: string[] = []
  if (typeof body?.text !== 'string' || body.text.trim() === '') out.push('no_text')
  else if (body.text.length > SLACK_LIMITS.text) out.push('msg_too_long')
  const blocks = body?.blocks
  if (blocks === undefined) return out
  if (!Array.isArray(blocks) || blocks.length === 0 || blocks.length > SLACK_LIMITS.blocks) return [...out, `invalid_blocks: ${Array.isArray(blocks) ? blocks.length : 'not a list of'} blocks`]
  for (const b of blocks) {
    if (!SLACK_BLOCK_TYPES.has(b?.type)) out.push(`invalid_blocks: type ${b?.type}`)
    const textOf = (t: any, max: number, what: string) => {
      if (!t || !['plain_text', 'mrkdwn'].includes(t.type) || typeof t.text !== 'string' || t.text === '') out.push(`invalid_blocks: ${what} text object`)
      else if (t.text.length > max) out.push(`invalid_blocks: ${what} ${t.text.length} > ${max}`)
    }
    if (b.type === 'header') {
      if (b.text?.type !== 'plain_text') out.push('invalid_blocks: header must be plain_text')
      textOf(b.text, SLACK_LIMITS.header, 'header')
    }
    if (b.type === 'section') {
      if (!b.text && !b.fields) out.push('invalid_blocks: section without text or fields')
      if (b.text) textOf(b.text, SLACK_LIMITS.sectionText, 'section')
      if (b.fields) {
        if (b.fields.length > SLACK_LIMITS.fields) out.push(`invalid_blocks: ${b.fields.length} fields > 10`)
        for (const f of b.fields) textOf(f, SLACK_LIMITS.fieldText, 'field')
      }
    }
    if (b.type === 'context') {
      if (!Array.isArray(b.elements) || b.elements.length === 0 || b.elements.length > SLACK_LIMITS.contextElements) out.push('invalid_blocks: context elements')
      else for (const e of b.elements) textOf(e, SLACK_LIMITS.sectionText, 'context')
    }
  }
  const total = slackTextTotal(blocks)
  if (total > SLACK_LIMITS.total) out.push(`msg_blocks_too_long: ${total} > ${SLACK_LIMITS.total}`)
  return out
}

export const FEISHU_BODY_LIMIT = 20 * 1024
export function feishuProblems(raw: Buffer, body: any): string[] {
  const out: string[] = []
  if (raw.length > FEISHU_BODY_LIMIT) out.push(`request body too large (${raw.length} > ${FEISHU_BODY_LIMIT} bytes)`)
  const post = body?.content?.post?.zh_cn
  if (body?.msg_type !== 'post' || !Array.isArray(post?.content)) return [...out, 'msg_type post with content.post.zh_cn.content']
  for (const p of post.content) {
    if (!Array.isArray(p)) out.push('a paragraph is not a list of segments')
    else for (const s of p) if (!['text', 'a', 'at', 'img'].includes(s?.tag)) out.push(`unknown segment tag ${s?.tag}`)
  }
  return out
}

export const DINGTALK_BODY_LIMIT = 20_000
export function dingtalkProblems(raw: Buffer, body: any): string[] {
  const out: string[] = []
  if (raw.length > DINGTALK_BODY_LIMIT) out.push(`460101 message too long (${raw.length} > ${DINGTALK_BODY_LIMIT} bytes)`)
  if (body?.msgtype !== 'markdown' || typeof body.markdown?.title !== 'string' || typeof body.markdown?.text !== 'string' || !body.markdown.text) out.push('40035 missing markdown title or text')
  return out
}

export const WECOM_LIMITS = { markdown: 4096, text: 2048 }
export function wecomProblems(body: any): string[] {
  if (body?.msgtype === 'markdown') {
    const c = body.markdown?.content
    if (typeof c !== 'string' || !c) return ['44004 empty content']
    return Buffer.byteLength(c) > WECOM_LIMITS.markdown ? [`40058 markdown.content ${Buffer.byteLength(c)} > 4096 bytes`] : []
  }
  if (body?.msgtype === 'text') {
    const c = body.text?.content
    if (typeof c !== 'string' || !c) return ['44004 empty content']
    return Buffer.byteLength(c) > WECOM_LIMITS.text ? [`40058 text.content ${Buffer.byteLength(c)} > 2048 bytes`] : []
  }
  return ['40008 invalid message type']
}

export function onebotProblems(body: any): string[] {
  if (!Array.isArray(body?.message)) return ['message is not a segment list']
  const out: string[] = []
  for (const s of body.message) {
    if (typeof s?.type !== 'string' || typeof s?.data !== 'object') out.push('a segment without type and data')
    else if (s.type === 'text' && typeof s.data.text !== 'string') out.push('a text segment without text')
  }
  if (!body.message.some((s: any) => s?.type === 'text' && s.data?.text?.trim())) out.push('no text')
  return out
}
