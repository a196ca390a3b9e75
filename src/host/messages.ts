// The message a plugin sends to a chat: plain text, or text with structure that adapters render natively.
import { isAbsolute, normalize, sep } from 'node:path'

export interface MessageField {
  name: string
  value: string
  inline?: boolean
}

export interface MessageAttachment {
  /** A path relative to the sending plugin's data directory, or use `url`. */
  path?: string
  /** An http(s) URL. */
  url?: string
  name?: string
  mimeType?: string
}

/** One mention before (or after) the host resolved it for an adapter instance. */
export interface MentionRef {
  /** A platform user id (on `adapter` when given). */
  id?: string
  /** A mobile number (DingTalk atMobiles, WeCom mentioned_mobile_list). */
  mobile?: string
  /** Only for this adapter instance; other instances leave the mention out. */
  adapter?: string
  /** A person or group of the `people` map. */
  person?: string
  /** Sender identities, looked up in the `people` map. */
  github?: string
  gitlab?: string
  gitea?: string
  email?: string
  /** The name shown (as plain text where no id is known). */
  name?: string
}

const MENTION_KEYS = ['id', 'mobile', 'adapter', 'person', 'github', 'gitlab', 'gitea', 'email', 'name'] as const

export const MESSAGE_LEVELS = ['critical', 'error', 'warning', 'info', 'success'] as const

/**
 * One message, each piece said once; every adapter renders it natively (docs/messages.md shows how on each platform).
 * Nothing here is parsed as markup except `markdown`, which the plugin itself writes.
 */
export interface Message {
  /** The headline, said once, without an icon and without the source. */
  title?: string
  /** One emoji for the headline; when absent the level's icon is used (LEVEL_ICONS), never both. */
  icon?: string
  /** Where it happened (repository, project, alert group, service): shown once as context, e.g. "[acme/api] " before the title. */
  source?: string
  /**
   * Plain-text body: the detail lines only, never the title, the source or the link. Never parsed as markup: every
   * adapter escapes it for its dialect. May be '' when the title and fields say everything. A string message is `{ text }`.
   */
  text: string
  /**
   * A markdown-ish body written BY THE PLUGIN (**bold**, *italic*, `code`, [links](url), lists, quotes, fenced code),
   * replacing `text` on platforms with markup. Payload text put into it must go through escapeMarkdown().
   */
  markdown?: string
  /** Key/value facts: embed or card fields where the platform has them, "name: value" lines elsewhere. */
  fields?: MessageField[]
  images?: MessageAttachment[]
  files?: MessageAttachment[]
  /** Platform id of a received message this one answers (quoted where the platform can, e.g. a OneBot reply segment). */
  replyTo?: string
  /**
   * Who the message concerns. A string is a platform user id of the target adapter (kept as before); an object names a
   * person (or group) of the `people` map, a sender identity (github/gitlab/gitea login, e-mail) looked up there, or an
   * id for one adapter instance only. The host resolves them per adapter instance; people without an id on the
   * target adapter are shown by name, without a mention.
   */
  mentions?: Array<string | MentionRef>
  /** @all in the chat (OneBot, DingTalk, WeCom, Feishu, Slack); set only from a route's `mentionAll: true`, never from payload text. */
  mentionAll?: boolean
  /** The one link back to the source event, shown once (title URL, button or a single 🔗 line); not repeated in text or fields. */
  link?: { url: string; title?: string }
  /** Severity or kind: the colour, and the icon when `icon` is absent. */
  level?: (typeof MESSAGE_LEVELS)[number]
  /**
   * Set by the host, never by plugin.send(): an answer to a person in the chat (ctx.reply() of a chat command or message
   * handler). The asker waits for it, so a mute or quiet hours do not hold it and no digest carries it.
   */
  answer?: true
}

/** The icon of each level, used for a titled message without an icon of its own. */
export const LEVEL_ICONS: Record<(typeof MESSAGE_LEVELS)[number], string> = {
  critical: '🔴',
  error: '❗',
  warning: '⚠️',
  info: 'ℹ️',
  success: '✅',
}

/**
 * Escapes text (a payload's title, a user name) for the `markdown` field, so that it reads literally: no link, no
 * bold, no heading or list is made of it.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_~[\]()#>+\-.!|{}<&@]/g, '\\$&')
}

export type MessageInput = string | Message

/** Largest stored message (JSON); bigger ones are refused at send() rather than failing later at the platform. */
export const MAX_MESSAGE_BYTES = 1024 * 1024

const isString = (v: unknown): v is string => typeof v === 'string'
const HTTP_URL = /^https?:\/\/[^\s]+$/i

function checkAttachment(a: unknown, where: string): void {
  if (!a || typeof a !== 'object') throw new TypeError(`${where} must be an object with a path or url`)
  const { path, url, name, mimeType } = a as MessageAttachment
  if ((path === undefined) === (url === undefined)) throw new TypeError(`${where} needs exactly one of path and url`)
  if (url !== undefined && (!isString(url) || !HTTP_URL.test(url))) throw new TypeError(`${where}.url must be an http(s) URL`)
  if (path !== undefined) {
    // The path is read later from the plugin's data directory: it may not leave it.
    if (!isString(path) || path.length === 0 || path.includes('\0') || isAbsolute(path)) throw new TypeError(`${where}.path must be a relative path inside the plugin's data directory`)
    if (normalize(path).split(/[\\/]/).includes('..') || normalize(path).startsWith(`..${sep}`)) throw new TypeError(`${where}.path may not contain ".."`)
  }
  if (name !== undefined && !isString(name)) throw new TypeError(`${where}.name must be a string`)
  if (mimeType !== undefined && !isString(mimeType)) throw new TypeError(`${where}.mimeType must be a string`)
}

const shortString = (v: unknown): boolean => isString(v) && v.length > 0 && v.length <= 128

function checkMention(m: unknown, where: string): void {
  if (isString(m)) {
    if (!shortString(m)) throw new TypeError(`${where} must be a user id of 1 to 128 characters`)
    return
  }
  if (!m || typeof m !== 'object' || Array.isArray(m)) throw new TypeError(`${where} must be a user id or a mention object`)
  const entries = Object.entries(m as Record<string, unknown>)
  for (const [key, value] of entries) {
    if (!(MENTION_KEYS as readonly string[]).includes(key)) throw new TypeError(`${where}.${key} is not a mention field (${MENTION_KEYS.join(', ')})`)
    if (value !== undefined && !shortString(value)) throw new TypeError(`${where}.${key} must be a string of 1 to 128 characters`)
  }
  if (!entries.some(([key, value]) => key !== 'adapter' && value !== undefined)) throw new TypeError(`${where} names nobody`)
}

/** Validates and normalises what a plugin passed to send(); throws a TypeError that names the problem. */
export function normalizeMessage(input: MessageInput): Message {
  return normalizeMessageJson(input).message
}

/** The checked message and its JSON text, produced once: the text is what storage keeps, as is. */
export function normalizeMessageJson(input: MessageInput): { message: Message; json: string } {
  if (typeof input === 'string') {
    if (input.length === 0) throw new TypeError('message text is empty')
    if (Buffer.byteLength(input) > MAX_MESSAGE_BYTES) throw new TypeError(`message is larger than ${MAX_MESSAGE_BYTES} bytes`)
    const message = { text: input }
    return { message, json: JSON.stringify(message) }
  }
  if (!input || typeof input !== 'object') throw new TypeError('message must be a string or an object with a text field')
  if (!isString(input.text)) throw new TypeError('message.text must be a string')
  if (input.title !== undefined && !isString(input.title)) throw new TypeError('message.title must be a string')
  if (input.source !== undefined && !isString(input.source)) throw new TypeError('message.source must be a string')
  if (input.icon !== undefined && (!isString(input.icon) || input.icon.length > 16 || /\s/.test(input.icon))) throw new TypeError('message.icon must be one emoji (a short string without spaces)')
  if (input.markdown !== undefined && !isString(input.markdown)) throw new TypeError('message.markdown must be a string')
  if (input.text.length === 0 && !input.title && !input.markdown && !input.images?.length && !input.files?.length) {
    throw new TypeError('message has no content')
  }
  if (input.fields !== undefined) {
    if (!Array.isArray(input.fields)) throw new TypeError('message.fields must be an array')
    input.fields.forEach((f, i) => {
      if (!f || !isString(f.name) || !isString(f.value)) throw new TypeError(`message.fields[${i}] needs a string name and value`)
    })
  }
  for (const key of ['images', 'files'] as const) {
    const list = input[key]
    if (list === undefined) continue
    if (!Array.isArray(list)) throw new TypeError(`message.${key} must be an array`)
    list.forEach((a, i) => checkAttachment(a, `message.${key}[${i}]`))
  }
  if (input.mentions !== undefined) {
    if (!Array.isArray(input.mentions) || input.mentions.length > 100) throw new TypeError('message.mentions must be an array of at most 100 user ids or mention objects')
    input.mentions.forEach((m, i) => checkMention(m, `message.mentions[${i}]`))
  }
  if (input.mentionAll !== undefined && typeof input.mentionAll !== 'boolean') throw new TypeError('message.mentionAll must be a boolean')
  if (input.replyTo !== undefined && (!isString(input.replyTo) || input.replyTo.length === 0 || input.replyTo.length > 128)) throw new TypeError('message.replyTo must be a message id')
  if (input.link !== undefined && (!input.link || !isString(input.link.url) || !HTTP_URL.test(input.link.url))) throw new TypeError('message.link.url must be an http(s) URL')
  if (input.link?.title !== undefined && !isString(input.link.title)) throw new TypeError('message.link.title must be a string')
  if (input.level !== undefined && !MESSAGE_LEVELS.includes(input.level)) throw new TypeError(`message.level must be one of ${MESSAGE_LEVELS.join(', ')}`)
  if (input.answer !== undefined && input.answer !== true) throw new TypeError('message.answer is set by the host (ctx.reply()), never by a plugin')
  // A JSON round trip drops functions and class instances, so that the stored form is exactly what is delivered.
  const json = JSON.stringify(input)
  if (Buffer.byteLength(json) > MAX_MESSAGE_BYTES) throw new TypeError(`message is larger than ${MAX_MESSAGE_BYTES} bytes`)
  return { message: JSON.parse(json) as Message, json }
}
