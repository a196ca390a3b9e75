// The message a plugin sends to a chat: plain text, or text with structure that adapters render natively.

export interface MessageField {
  name: string
  value: string
  inline?: boolean
}

export interface MessageAttachment {
  /** A path inside the plugin's data directory, or an http(s) URL. */
  path?: string
  url?: string
  name?: string
  mimeType?: string
}

export interface Message {
  /** Plain text; always present so that every adapter can fall back to it. */
  text: string
  title?: string
  /** Markdown-ish body (bold, italic, code, links, lists); adapters with markup render it, others use `text`. */
  markdown?: string
  fields?: MessageField[]
  images?: MessageAttachment[]
  files?: MessageAttachment[]
  /** Platform user ids to mention. */
  mentions?: string[]
  /** A link back to the source event. */
  link?: { url: string; title?: string }
  /** Severity or kind, used by adapters for colour or icon. */
  level?: 'critical' | 'error' | 'warning' | 'info' | 'success'
}

export type MessageInput = string | Message

/** Validates and normalises what a plugin passed to send(); throws a TypeError that names the problem. */
export function normalizeMessage(input: MessageInput): Message {
  if (typeof input === 'string') {
    if (input.length === 0) throw new TypeError('message text is empty')
    return { text: input }
  }
  if (!input || typeof input !== 'object') throw new TypeError('message must be a string or an object with a text field')
  if (typeof input.text !== 'string') throw new TypeError('message.text must be a string')
  if (input.text.length === 0 && !input.title && !input.markdown && !input.images?.length && !input.files?.length) {
    throw new TypeError('message has no content')
  }
  // A JSON round trip drops functions and class instances, so that the stored form is exactly what is delivered.
  return JSON.parse(JSON.stringify(input)) as Message
}
