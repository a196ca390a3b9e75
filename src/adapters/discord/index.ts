// Discord webhooks (?wait=true so that a refused message is an error): markdown content, or an embed when it fits.
import { z } from 'zod'
import type { Message } from '../../host/messages.js'
import { defineAdapter } from '../../host/outbox/adapter.js'
import { secret, secretValues } from '../../host/plugin/secret.js'
import { acceptId, forPlatform, mentionIds } from '../shared/mentions.js'
import { cleanMessage } from '../render/clean.js'
import { compose, headline, linkLine, mentionLine } from '../render/compose.js'
import { discord, renderInlines, renderLine } from '../render/dialects.js'
import { layout, stringTarget } from '../render/layout.js'
import { commonFields, httpUrl, rates } from '../shared/config.js'
import { HttpClient, httpError } from '../shared/http.js'
import { namedChannels, namedList } from '../shared/named.js'
import { textParts } from '../shared/text.js'

export const DISCORD_CONTENT_LIMIT = 2000
// A user id (snowflake): digits only, so that nothing else can become a ping.
const SNOWFLAKE = /^\d{1,20}$/
const LEVEL_COLOURS = { critical: 0x992d22, error: 0xe74c3c, warning: 0xf1c40f, info: 0x3498db, success: 0x2ecc71 } as const

export interface DiscordPayload {
  content?: string
  embeds?: Array<Record<string, unknown>>
  allowed_mentions: { parse: never[]; users: string[] }
}

const config = z
  .object({
    type: z.literal('discord').optional(),
    webhooks: namedList({ url: secret(httpUrl).describe('Webhook URL: https://discord.com/api/webhooks/<id>/<token>') }).describe('Named webhooks: the chat_key is discord-<name>'),
    username: z.string().min(1).max(80).optional(),
    avatarUrl: z.url().optional(),
    ...commonFields,
  })
  .strict()

/** Discord's documented embed limits; a message beyond them goes as markdown content parts instead. */
export const EMBED_LIMITS = { title: 256, description: 4096, fields: 25, fieldName: 256, fieldValue: 1024, author: 256, total: 6000 } as const

/** A single embed when the message has structure and fits in one; undefined otherwise (then markdown content parts). */
function embedOf(message: Message): Record<string, unknown> | undefined {
  if (!message.title && !message.fields?.length && !message.level && !message.source) return undefined
  const fields = (message.fields ?? []).map((f) => ({ name: discord.text(f.name), value: discord.text(f.value), inline: f.inline ?? false }))
  const title = discord.text(headline(message, { source: false }))
  const author = message.source ?? ''
  if (fields.length > EMBED_LIMITS.fields || title.length > EMBED_LIMITS.title || author.length > EMBED_LIMITS.author) return undefined
  if (fields.some((f) => f.name.length > EMBED_LIMITS.fieldName || f.value.length > EMBED_LIMITS.fieldValue || !f.name || !f.value)) return undefined
  // The headline, source, fields and link have places of their own in the embed: the description is the body only.
  const body = compose(message, { omitTitle: true, omitFields: true, omitLink: true, omitMentions: true })
  const laid = layout(body, stringTarget(discord, 'chars'), { limit: EMBED_LIMITS.description, maxParts: 1 })
  // A description that needs cutting goes as content parts instead, where nothing is lost.
  if (laid.truncated) return undefined
  const description = laid.parts[0].join('\n')
  const total = title.length + description.length + author.length + fields.reduce((n, f) => n + f.name.length + f.value.length, 0)
  if (total > EMBED_LIMITS.total) return undefined
  const embed: Record<string, unknown> = {}
  if (author) embed.author = { name: author }
  if (title) embed.title = title
  if (message.link) embed.url = message.link.url
  if (description) embed.description = description
  if (fields.length) embed.fields = fields
  if (message.level) embed.color = LEVEL_COLOURS[message.level]
  // Without a title the URL has nowhere to go but the description.
  if (message.link && !title) embed.description = [description, renderLine(discord, linkLine(message)!)].filter(Boolean).join('\n')
  return embed
}

export const discordAdapter = defineAdapter({
  type: 'discord',
  description: 'Discord webhooks: discord-<webhook name>',
  config,
  create(settings, context) {
    const client = new HttpClient([...secretValues(config, settings), ...settings.webhooks.map((w) => w.url.split('/').pop() ?? '')])
    const hooks = namedChannels(settings.webhooks, 'Discord webhook')
    const render = (_channel: string, input: Message): DiscordPayload[] => {
      // Discord has no @all of ours: @everyone and roles stay off (parse: []), only the listed users are pinged.
      const message = forPlatform(cleanMessage(input), acceptId(SNOWFLAKE))
      const allowed = { parse: [] as never[], users: mentionIds(message).slice(0, 100) }
      const embed = embedOf(message)
      if (embed) {
        const line = mentionLine(message)
        const mentions = line ? renderInlines(discord, line.inlines) : undefined
        return [{ content: mentions, embeds: [embed], allowed_mentions: allowed }]
      }
      return textParts(message, discord, { unit: 'chars', limit: DISCORD_CONTENT_LIMIT, maxParts: settings.maxParts }).map((content) => ({ content, allowed_mentions: allowed }))
    }
    return {
      name: context.name,
      type: 'discord',
      // Webhooks: 5 requests per 2 s each; 50 requests/s for the whole bot.
      rateLimits: rates({ perChat: { count: 5, intervalMs: 2000 }, global: { count: 50, intervalMs: 1000 } }, settings.rateLimit),
      checkChannel: hooks.check,
      render,
      async send(channel, message, { payload, signal }) {
        const part = (payload as DiscordPayload | undefined) ?? render(channel, message)[0]
        const hook = hooks.get(channel)!
        const body = { ...part, username: settings.username, avatar_url: settings.avatarUrl }
        const answer = await client.postJson(`${hook.url}${hook.url.includes('?') ? '&' : '?'}wait=true`, body, { signal })
        if (answer.status >= 200 && answer.status < 300) return
        let retryAfterMs: number | undefined
        let detail: string | undefined
        try {
          const parsed = JSON.parse(answer.text) as { retry_after?: number; message?: string; code?: number }
          // The body's retry_after is in seconds with decimals, finer than the header's whole seconds.
          if (typeof parsed.retry_after === 'number') retryAfterMs = Math.ceil(parsed.retry_after * 1000)
          detail = parsed.message ? `${parsed.message}${parsed.code ? ` (code ${parsed.code})` : ''}` : undefined
        } catch {
          // Not JSON: the status and Retry-After decide.
        }
        throw httpError(client, answer, { retryAfterMs, detail })!
      },
      async close() {
        client.close()
      },
    }
  },
})
