// Turns a Message into document lines, each piece once: headline (icon, source, title), body, fields, attachments, mentions, link.
import { LEVEL_ICONS, type Message, type MessageAttachment } from '../../host/messages.js'
import { parseMarkdown, plainLines, isSafeUrl, type Inline, type Line } from './markdown.js'

export { LEVEL_ICONS }

export interface ComposeOptions {
  /** Leave the headline out (the platform shows it in a field of its own). */
  omitTitle?: boolean
  /** Leave the source out of the headline (the platform shows it as context of its own). */
  omitSource?: boolean
  /** Leave the fields out (the platform shows them as fields of its own). */
  omitFields?: boolean
  /** Leave the link out (the platform puts it on the title or a button). */
  omitLink?: boolean
  /** Leave images and files out (the adapter attaches them); otherwise they become link lines. */
  omitAttachments?: boolean
  /** Leave the mentions out (the adapter puts them in the payload). */
  omitMentions?: boolean
  /** Say @all in the mention line when the message asks for it (the dialect has an @all of its own). */
  mentionAll?: boolean
}

export interface Composed {
  lines: Line[]
  /** Lines kept even when the body is truncated: the link back to the source. */
  footer: Line[]
}

/** A line of inline text (what fields, links and mentions are). */
export interface TextLine {
  kind: 'text'
  inlines: Inline[]
}

const text = (t: string): Inline => ({ type: 'text', text: t })
// A title that already starts with an emoji keeps it: a second icon would say the same thing twice.
const STARTS_WITH_EMOJI = /^\p{Extended_Pictographic}/u

/** The headline's one icon: the message's own, else its level's; none when the title already begins with one. */
export function iconOf(message: Message): string | undefined {
  if (!message.title && !message.source) return undefined
  if (message.title && STARTS_WITH_EMOJI.test(message.title.trimStart())) return undefined
  return message.icon || (message.level ? LEVEL_ICONS[message.level] : undefined)
}

/** The headline as plain text: "🔴 [acme/api] title", without the source when the platform shows it elsewhere. */
export function headline(message: Message, options: { source?: boolean } = {}): string {
  const icon = iconOf(message)
  const source = options.source !== false && message.source ? `[${message.source}]` : ''
  return [icon, source, message.title].filter((p) => p).join(' ')
}

/** The body as lines: the plugin's markdown, or the text read literally. */
export function bodyLines(message: Message): Line[] {
  const body = message.markdown !== undefined ? parseMarkdown(message.markdown) : plainLines(message.text)
  while (body.length && body[0].kind === 'blank') body.shift()
  while (body.length && body[body.length - 1].kind === 'blank') body.pop()
  return body
}

export function fieldLine(f: { name: string; value: string }): TextLine {
  // A Chinese name takes the full-width colon with no space, as Chinese text is written ("分支：main").
  const wide = /[\u3000-\u9fff\uff00-\uffef]$/.test(f.name)
  return { kind: 'text', inlines: [{ type: 'bold', children: [text(wide ? `${f.name}：` : `${f.name}:`)] }, text(wide ? f.value : ` ${f.value}`)] }
}

function attachmentLine(icon: string, a: MessageAttachment): TextLine {
  const label = a.name ?? a.url ?? a.path ?? 'attachment'
  if (a.url && isSafeUrl(a.url)) return { kind: 'text', inlines: [text(`${icon} `), { type: 'link', url: a.url, children: [text(label)] }] }
  // A file in the plugin's data directory has no public address: its name is all a reader can see.
  return { kind: 'text', inlines: [text(`${icon} ${label}`)] }
}

export function attachmentLines(message: Message): TextLine[] {
  return [...(message.images ?? []).map((a) => attachmentLine('🖼', a)), ...(message.files ?? []).map((a) => attachmentLine('📎', a))]
}

/** The mentions as one line: platform mentions for ids, plain names for people without one; @all first when asked. */
export function mentionLine(message: Message, options: { all?: boolean } = {}): TextLine | undefined {
  const items: Inline[] = []
  if (options.all && message.mentionAll) items.push({ type: 'mention', id: '', all: true })
  for (const m of message.mentions ?? []) {
    if (typeof m === 'string') items.push({ type: 'mention', id: m })
    else if (m.id !== undefined || m.mobile !== undefined) items.push({ type: 'mention', id: (m.id ?? m.mobile)!, ...(m.name ? { name: m.name } : {}) })
    else if (m.name) items.push(text(m.name))
  }
  if (!items.length) return undefined
  return { kind: 'text', inlines: items.flatMap((n, i) => (i ? [text(' '), n] : [n])) }
}

export function linkLine(message: Message): TextLine | undefined {
  if (!message.link || !isSafeUrl(message.link.url)) return undefined
  return { kind: 'text', inlines: [text('🔗 '), { type: 'link', url: message.link.url, children: [text(message.link.title || message.link.url)] }] }
}

export function compose(message: Message, options: ComposeOptions = {}): Composed {
  const lines: Line[] = []
  const head = options.omitTitle ? '' : headline(message, { source: !options.omitSource })
  if (head) lines.push({ kind: 'heading', inlines: [text(head)] })
  lines.push(...bodyLines(message))
  if (message.fields?.length && !options.omitFields) {
    if (lines.length > (head ? 1 : 0)) lines.push({ kind: 'blank' })
    lines.push(...message.fields.map(fieldLine))
  }
  if (!options.omitAttachments) lines.push(...attachmentLines(message))
  const mentions = options.omitMentions ? undefined : mentionLine(message, { all: options.mentionAll })
  if (mentions) lines.push(mentions)
  const link = options.omitLink ? undefined : linkLine(message)
  return { lines, footer: link ? [link] : [] }
}
