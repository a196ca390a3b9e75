// Turns a Message into document lines: title, body (markdown or plain text), fields, attachments, link, mentions.
import type { Message, MessageAttachment } from '../../host/messages.js'
import { parseMarkdown, plainLines, isSafeUrl, type Inline, type Line } from './markdown.js'

export const LEVEL_ICONS: Record<NonNullable<Message['level']>, string> = {
  critical: '🔴',
  error: '❗',
  warning: '⚠️',
  info: 'ℹ️',
  success: '✅',
}

export interface ComposeOptions {
  /** Leave the title out (the platform shows it in a field of its own). */
  omitTitle?: boolean
  /** Leave images and files out (the adapter attaches them); otherwise they become link lines. */
  omitAttachments?: boolean
  /** Leave the mentions out (the adapter puts them in the payload). */
  omitMentions?: boolean
}

export interface Composed {
  lines: Line[]
  /** Lines kept even when the body is truncated: the link back to the source. */
  footer: Line[]
}

const text = (t: string): Inline => ({ type: 'text', text: t })

function attachmentLine(icon: string, a: MessageAttachment): Line | undefined {
  const label = a.name ?? a.url ?? a.path ?? 'attachment'
  if (a.url && isSafeUrl(a.url)) return { kind: 'text', inlines: [text(`${icon} `), { type: 'link', url: a.url, children: [text(label)] }] }
  // A file in the plugin's data directory has no public address: its name is all a reader can see.
  return { kind: 'text', inlines: [text(`${icon} ${label}`)] }
}

export function compose(message: Message, options: ComposeOptions = {}): Composed {
  const lines: Line[] = []
  if (message.title && !options.omitTitle) {
    const icon = message.level ? `${LEVEL_ICONS[message.level]} ` : ''
    lines.push({ kind: 'heading', inlines: [text(icon + message.title)] })
  }
  const body = message.markdown !== undefined ? parseMarkdown(message.markdown) : plainLines(message.text)
  while (body.length && body[body.length - 1].kind === 'blank') body.pop()
  lines.push(...body)
  if (message.fields?.length) {
    if (lines.length) lines.push({ kind: 'blank' })
    for (const f of message.fields) lines.push({ kind: 'text', inlines: [{ type: 'bold', children: [text(`${f.name}:`)] }, text(` ${f.value}`)] })
  }
  if (!options.omitAttachments) {
    for (const image of message.images ?? []) {
      const line = attachmentLine('🖼', image)
      if (line) lines.push(line)
    }
    for (const file of message.files ?? []) {
      const line = attachmentLine('📎', file)
      if (line) lines.push(line)
    }
  }
  if (message.mentions?.length && !options.omitMentions) {
    const inlines: Inline[] = []
    message.mentions.forEach((id, i) => inlines.push(...(i ? [text(' ')] : []), { type: 'mention', id }))
    lines.push({ kind: 'text', inlines })
  }
  const footer: Line[] = []
  if (message.link && isSafeUrl(message.link.url)) {
    footer.push({ kind: 'text', inlines: [text('🔗 '), { type: 'link', url: message.link.url, children: [text(message.link.title ?? message.link.url)] }] })
  }
  return { lines, footer }
}
