// Two-way chat: what an inbound chat message looks like to plugins, and what commands and message handlers receive.
import type { z } from 'zod'
import type { MessageInput } from '../messages.js'
import type { SentMessage } from '../plugin/types.js'

export type SenderRole = 'owner' | 'admin' | 'member'
export type CommandPermission = 'member' | 'admin' | 'owner' | 'operator'

/** A chat message as an adapter hands it to the host (stored as the body of an inbound delivery). */
export interface InboundMessage {
  /** Adapter instance name (the adapter part of the chat_key). */
  adapter: string
  /** The chat it came from, e.g. onebot_v11-group_123456. */
  chatKey: string
  /** The platform's id of the message (used to quote it in a reply). */
  messageId: string
  /** The bot account that received it (OneBot self_id). */
  selfId?: string
  /** The message as plain text (mentions of the bot removed). */
  text: string
  sender: { id: string; name?: string; role: SenderRole }
  /** Seconds since the epoch, as the platform stamped it. */
  time?: number
  /** zh-CN or en: the chat's language, when the adapter knows it. */
  locale?: string
  /** True when the platform supports quoting a message in a reply. */
  canQuote?: boolean
}

export interface ChatContext {
  readonly chatKey: string
  readonly adapter: string
  readonly text: string
  readonly messageId: string
  readonly sender: { readonly id: string; readonly name?: string; readonly role: SenderRole; readonly operator: boolean }
  readonly locale: 'zh-CN' | 'en'
  /** Answers in the same chat, durably (outbox), quoting the message where the platform supports it. */
  reply(message: MessageInput): Promise<SentMessage>
}

export interface CommandContext<Args> extends ChatContext {
  readonly args: Args
  /** The command's usage line, generated from its args schema. */
  readonly usage: string
}

export interface CommandOptions<Schema extends z.ZodObject = z.ZodObject> {
  description?: string
  /** Positional arguments in key order; an array field takes the rest of the words. */
  args?: Schema
  /** Who may run it: member (anyone), admin (group admin or owner), owner, operator (configured operators only). Default admin. */
  permission?: CommandPermission
}

export type CommandHandler<Args> = (ctx: CommandContext<Args>) => void | Promise<void>
export type MessageFilter = RegExp | string | ((ctx: ChatContext) => boolean)
export type MessageHandler = (ctx: ChatContext) => void | Promise<void>
