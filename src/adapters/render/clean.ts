// Strips what a chat or terminal would act on instead of show: C0/C1 controls (not \n, \t) and bidi overrides.
import type { MentionRef, Message, MessageAttachment } from '../../host/messages.js'

// C0 except \t and \n, DEL, C1, and the bidi embeddings/overrides/isolates that reorder what a reader sees.
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g

/** The text without control characters; \r\n and lone \r become \n so that no line is hidden by a carriage return. */
export function stripControls(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(CONTROLS, '')
}

const cleanAttachment = (a: MessageAttachment): MessageAttachment => ({ ...a, ...(a.name !== undefined ? { name: stripControls(a.name) } : {}) })
const opt = (s: string | undefined): string | undefined => (s === undefined ? undefined : stripControls(s))

function cleanMention(m: string | MentionRef): string | MentionRef {
  if (typeof m === 'string') return stripControls(m)
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(m)) if (typeof value === 'string' && stripControls(value) !== '') out[key] = stripControls(value)
  return out as MentionRef
}

/** Every text of a message cleaned; adapters render only cleaned messages (the one place this happens is here). */
export function cleanMessage(message: Message): Message {
  const out: Message = { ...message, text: stripControls(message.text ?? '') }
  for (const key of ['title', 'icon', 'source', 'markdown'] as const) if (message[key] !== undefined) out[key] = opt(message[key])
  if (message.fields) out.fields = message.fields.map((f) => ({ ...f, name: stripControls(f.name), value: stripControls(f.value) }))
  if (message.link) out.link = { ...message.link, ...(message.link.title !== undefined ? { title: stripControls(message.link.title) } : {}) }
  if (message.images) out.images = message.images.map(cleanAttachment)
  if (message.files) out.files = message.files.map(cleanAttachment)
  if (message.mentions) out.mentions = message.mentions.map(cleanMention).filter((m) => m !== '' && (typeof m === 'string' || Object.keys(m).length > 0))
  return out
}
