// The chat commands and message handlers plugins register, and the dispatch of one stored inbound message to them.
import type { z } from 'zod'
import type { Logger } from '../../util/logger.js'
import { deliveryScope, type DeliveryScope } from '../ingress/delivery-scope.js'
import type { MessageInput } from '../messages.js'
import type { SentMessage } from '../plugin/types.js'
import { parseArgs, usageOf, words } from './args.js'
import type { ChatContext, CommandHandler, CommandOptions, CommandPermission, InboundMessage, MessageFilter, MessageHandler } from './types.js'

type Send = (chatKey: string, message: MessageInput) => Promise<SentMessage>

interface CommandEntry {
  plugin: string
  name: string
  description: string
  usage: string
  permission: CommandPermission
  args?: z.ZodObject
  handler: CommandHandler<unknown>
  send: Send
}

interface MessageEntry {
  plugin: string
  filter: MessageFilter
  handler: MessageHandler
  send: Send
}

export interface CommandInfo {
  plugin: string
  name: string
  description: string
  usage: string
  permission: CommandPermission
}

/** What happened to a message: which handlers ran, or why none did. Kept as the inbound delivery's result. */
export interface DispatchResult {
  command?: string
  outcome: 'ran' | 'refused' | 'rate-limited' | 'usage' | 'no-command'
  handlers: number
}

const RANK: Record<CommandPermission, number> = { member: 0, admin: 1, owner: 2, operator: 3 }
const RATE = { count: 5, windowMs: 60_000 }

const TEXT = {
  refused: { 'zh-CN': '抱歉，只有群主、管理员或 hookcat 的运维人员可以使用 /{name}。', en: 'Sorry, only the group owner, admins or hookcat operators may use /{name}.' },
  limited: { 'zh-CN': '操作太频繁了，请稍后再试。', en: 'Too many commands; please try again in a minute.' },
  usage: { 'zh-CN': '用法：{usage}\n（{problem}）', en: 'Usage: {usage}\n({problem})' },
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? '')
}

export class ChatRegistry {
  private readonly commands = new Map<string, CommandEntry>()
  private readonly handlers: MessageEntry[] = []
  private readonly recent = new Map<string, number[]>()

  constructor(private readonly logger: Logger) {}

  command<S extends z.ZodObject>(plugin: string, name: string, options: CommandOptions<S>, handler: CommandHandler<z.output<S>>, send: Send): () => void {
    const key = name.trim().replace(/^\//, '').replace(/\s+/g, ' ').toLowerCase()
    if (!/^[a-z0-9][a-z0-9_-]*( [a-z0-9][a-z0-9_-]*)*$/.test(key)) throw new TypeError(`command name "${name}" must be words of lower-case letters, digits, _ and -`)
    const taken = this.commands.get(key)
    if (taken) throw new TypeError(`the command /${key} is already registered by the plugin "${taken.plugin}"`)
    const entry: CommandEntry = {
      plugin,
      name: key,
      description: options.description ?? '',
      usage: usageOf(key, options.args),
      permission: options.permission ?? 'admin',
      args: options.args,
      handler: handler as CommandHandler<unknown>,
      send,
    }
    this.commands.set(key, entry)
    return () => {
      if (this.commands.get(key) === entry) this.commands.delete(key)
    }
  }

  onMessage(plugin: string, filter: MessageFilter, handler: MessageHandler, send: Send): () => void {
    const entry: MessageEntry = { plugin, filter, handler, send }
    this.handlers.push(entry)
    return () => {
      const i = this.handlers.indexOf(entry)
      if (i >= 0) this.handlers.splice(i, 1)
    }
  }

  list(): CommandInfo[] {
    return [...this.commands.values()].map(({ plugin, name, description, usage, permission }) => ({ plugin, name, description, usage, permission })).sort((a, b) => a.name.localeCompare(b.name))
  }

  /** Runs the command (or message handlers) for one inbound message; throws what a handler threw, so that the inbox retries it. */
  async dispatch(message: InboundMessage, attempt = 1): Promise<DispatchResult> {
    const locale = message.locale === 'en' ? 'en' : 'zh-CN'
    const operator = (message.sender as { operator?: boolean }).operator === true
    const base = (send: Send): ChatContext => ({
      chatKey: message.chatKey,
      adapter: message.adapter,
      text: message.text,
      messageId: message.messageId,
      sender: { id: message.sender.id, name: message.sender.name, role: message.sender.role, operator },
      locale,
      reply: (m) => send(message.chatKey, { ...(typeof m === 'string' ? { text: m } : m), ...(message.canQuote ? { replyTo: message.messageId } : {}) } as MessageInput),
    })
    let handlers = 0
    for (const entry of [...this.handlers]) {
      const ctx = base(entry.send)
      if (!matches(entry.filter, ctx)) continue
      handlers++
      await asPlugin(entry.plugin, () => entry.handler(ctx))
    }
    const text = message.text.trim()
    if (!text.startsWith('/')) return { outcome: 'no-command', handlers }
    const given = words(text.slice(1))
    const found = this.find(given)
    if (!found) return { outcome: 'no-command', handlers }
    const { entry, rest } = found
    const ctx = base(entry.send)
    const reply = (t: string) => asPlugin(entry.plugin, () => ctx.reply(t))
    if (!allowed(entry.permission, message.sender.role, operator)) {
      this.logger.info({ chatKey: message.chatKey, sender: message.sender.id, command: entry.name }, 'chat command refused: not permitted')
      await reply(fill(TEXT.refused[locale], { name: entry.name }))
      return { command: entry.name, outcome: 'refused', handlers }
    }
    // A retry of the same message is not a new command: it is not counted again.
    if (attempt === 1 && !this.take(`${message.chatKey}|${message.sender.id}`)) {
      await reply(TEXT.limited[locale])
      return { command: entry.name, outcome: 'rate-limited', handlers }
    }
    const args = parseArgs(entry.args, rest)
    if (!args.ok) {
      await reply(fill(TEXT.usage[locale], { usage: entry.usage, problem: args.problem }))
      return { command: entry.name, outcome: 'usage', handlers }
    }
    await asPlugin(entry.plugin, () => entry.handler({ ...ctx, args: args.value, usage: entry.usage }))
    return { command: entry.name, outcome: 'ran', handlers: handlers + 1 }
  }

  /** The longest registered name the words begin with ("hookcat subscribe" before "hookcat"). */
  private find(given: string[]): { entry: CommandEntry; rest: string[] } | undefined {
    for (let n = Math.min(given.length, 4); n >= 1; n--) {
      const entry = this.commands.get(given.slice(0, n).join(' ').toLowerCase())
      if (entry) return { entry, rest: given.slice(n) }
    }
    return undefined
  }

  private take(key: string): boolean {
    const now = Date.now()
    const times = (this.recent.get(key) ?? []).filter((t) => now - t < RATE.windowMs)
    if (times.length >= RATE.count) return false
    times.push(now)
    this.recent.set(key, times)
    if (this.recent.size > 10_000) this.recent.delete(this.recent.keys().next().value!)
    return true
  }
}

function allowed(permission: CommandPermission, role: string, operator: boolean): boolean {
  if (operator) return true
  if (permission === 'operator') return false
  const rank = role === 'owner' ? 2 : role === 'admin' ? 1 : 0
  return rank >= RANK[permission]
}

function matches(filter: MessageFilter, ctx: ChatContext): boolean {
  if (typeof filter === 'string') return ctx.text.includes(filter)
  if (filter instanceof RegExp) return filter.test(ctx.text)
  return filter(ctx)
}

/**
 * Runs a plugin's handler inside the inbound delivery's scope as that plugin, so that its plugin.send() calls commit
 * together with the inbound delivery (handled once, retried together). The scope's `open` and `pending` stay shared.
 */
function asPlugin<T>(plugin: string, fn: () => T): T {
  const outer = deliveryScope.getStore()
  if (!outer) return fn()
  const inner = Object.create(outer, { plugin: { value: plugin, enumerable: true } }) as DeliveryScope
  return deliveryScope.run(inner, fn)
}
