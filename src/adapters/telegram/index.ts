// Telegram Bot API: sendMessage with HTML (or MarkdownV2) text, 4096 characters a message, retry_after on 429.
import { z } from 'zod'
import type { Message } from '../../host/messages.js'
import { defineAdapter, SendError, type AdapterLink } from '../../host/outbox/adapter.js'
import { telegramUpdates } from './updates.js'
import { secret, secretValues } from '../../host/plugin/secret.js'
import { acceptId, forPlatform } from '../shared/mentions.js'
import { cleanMessage } from '../render/clean.js'
import { plain, telegramHtml, telegramMarkdownV2 } from '../render/dialects.js'
import { commonFields, httpUrl, rates } from '../shared/config.js'
import { HttpClient, httpError, jsonAnswer, platformText, probeJson, type HttpAnswer } from '../shared/http.js'
import { textParts } from '../shared/text.js'

/** group_<chat id> for groups and channels (ids are negative), a bare chat id for private chats, or @channelname. */
const CHANNEL = /^(?:group_)?(-?\d{1,20})$|^(@[A-Za-z][A-Za-z0-9_]{3,31})$/
export const TELEGRAM_LIMIT = 4096

export interface TelegramPayload {
  text: string
  parse_mode?: 'HTML' | 'MarkdownV2'
  /** The same part without markup, sent when Telegram cannot parse the markup. */
  plainText: string
}

const config = z
  .object({
    type: z.literal('telegram').optional(),
    token: secret(z.string().regex(/^\d+:[\w-]+$/, 'a bot token looks like 123456:ABC-DEF…')).describe('Bot token from @BotFather'),
    apiBase: httpUrl.default('https://api.telegram.org').describe('Bot API base URL (a local Bot API server, or a test fake)'),
    parseMode: z.enum(['HTML', 'MarkdownV2']).default('HTML'),
    disableLinkPreview: z.boolean().default(true),
    webhookSecret: secret(z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, '16 to 256 characters: letters, digits, _ and -'))
      .optional()
      .describe('Receive chat commands: hookcat registers its URL with setWebhook and this secret_token, and checks it on every update'),
    username: z.string().regex(/^[A-Za-z0-9_]{3,64}$/).optional().describe("The bot's username: /cmd@username is taken as /cmd, commands for other bots are not"),
    operators: z.array(z.string().regex(/^\d{1,20}$/)).max(200).default([]).describe('Telegram user ids that may run every chat command'),
    locale: z.enum(['zh-CN', 'en']).default('en').describe('Language of the chat command answers'),
    ...commonFields,
  })
  .strict()

export const telegramAdapter = defineAdapter({
  type: 'telegram',
  description: 'Telegram Bot API: telegram-group_<chat id>, telegram-<chat id>, telegram-@channel',
  config,
  create(settings, context) {
    const client = new HttpClient(secretValues(config, settings))
    const url = `${settings.apiBase}/bot${settings.token}/sendMessage`
    const dialect = settings.parseMode === 'HTML' ? telegramHtml : telegramMarkdownV2
    const render = (_channel: string, input: Message): TelegramPayload[] => {
      // Text mentions (tg://user?id=) reach users without a username; Telegram has no @all.
      const message = forPlatform(cleanMessage(input), acceptId(/^[1-9]\d{0,19}$/))
      const options = { unit: 'chars' as const, limit: TELEGRAM_LIMIT, maxParts: settings.maxParts }
      const rich = textParts(message, dialect, options)
      const fallback = textParts(message, plain, { ...options, maxParts: rich.length })
      return rich.map((text, i) => ({ text, parse_mode: settings.parseMode, plainText: fallback[i] ?? fallback[fallback.length - 1] }))
    }
    const chatId = (channel: string): string => {
      const m = CHANNEL.exec(channel)!
      return m[1] ?? m[2]
    }
    const api = async (method: string, body: Record<string, unknown>) => {
      const answer = await client.postJson(`${settings.apiBase}/bot${settings.token}/${method}`, body, { signal: AbortSignal.timeout(10_000) })
      return jsonAnswer<Record<string, unknown>>(client, answer)
    }
    const updates = settings.webhookSecret
      ? telegramUpdates({ adapter: context.name, secretToken: settings.webhookSecret, username: settings.username, operators: settings.operators, locale: settings.locale, logger: context.logger, api })
      : undefined
    const post = (body: Record<string, unknown>, signal: AbortSignal): Promise<HttpAnswer> =>
      client.postJson(url, { ...body, link_preview_options: { is_disabled: settings.disableLinkPreview } }, { signal })
    return {
      name: context.name,
      type: 'telegram',
      // Documented: about 1 message/s in a chat, 20 per minute in a group, 30/s for the bot.
      rateLimits: rates({ perChat: { count: 20, intervalMs: 60_000 }, global: { count: 30, intervalMs: 1000 } }, settings.rateLimit),
      checkChannel: (channel) =>
        CHANNEL.test(channel) ? undefined : `a Telegram channel is group_<chat id> (e.g. group_-1001234567890), a chat id, or @channelname, not "${channel.slice(0, 64)}"`,
      render,
      async probe(signal) {
        const me = await probeJson<{ ok?: boolean; result?: { username?: string; id?: number } }>(client, () => client.postJson(`${settings.apiBase}/bot${settings.token}/getMe`, {}, { signal }))
        if (me.ok !== true || !me.result) throw new Error('getMe did not answer ok')
        return `@${platformText(client, me.result.username ?? String(me.result.id ?? '?'))}`
      },
      async send(channel, message, { payload, signal, part: index }) {
        const part = (payload as TelegramPayload | undefined) ?? render(channel, message)[0]
        // The first part answers the command it replies to (quoted), and is sent even if that message is gone.
        const quote = message.replyTo && !index && /^\d+$/.test(message.replyTo) ? { reply_parameters: { message_id: Number(message.replyTo), allow_sending_without_reply: true } } : {}
        let answer = await post({ chat_id: chatId(channel), text: part.text, parse_mode: part.parse_mode, ...quote }, signal)
        if (answer.status === 400 && /can't parse entities/i.test(answer.text)) {
          // Markup Telegram refuses must not lose the message: the same words without markup.
          answer = await post({ chat_id: chatId(channel), text: part.plainText }, signal)
        }
        if (answer.status >= 200 && answer.status < 300) {
          const body = jsonAnswer<{ ok?: boolean; description?: string }>(client, answer)
          if (body.ok === true) return
          throw new SendError(`Telegram: ${platformText(client, body.description ?? 'ok is not true')}`, { retryable: true, httpStatus: answer.status })
        }
        let retryAfterMs: number | undefined
        let detail: string | undefined
        try {
          const body = JSON.parse(answer.text) as { description?: string; parameters?: { retry_after?: number } }
          if (typeof body.parameters?.retry_after === 'number') retryAfterMs = body.parameters.retry_after * 1000
          detail = body.description
        } catch {
          // Not JSON (a proxy's page): the status alone decides.
        }
        throw httpError(client, answer, { retryAfterMs, detail })!
      },
      ...(updates ? { attach: (link: AdapterLink) => updates.attach(link) } : {}),
      async close() {
        client.close()
      },
    }
  },
})
