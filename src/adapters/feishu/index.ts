// Feishu/Lark custom bots: signed "post" rich-text messages, the request body under 20 KB, error codes in the body.
import { z } from 'zod'
import type { Message } from '../../host/messages.js'
import { defineAdapter, SendError } from '../../host/outbox/adapter.js'
import { secret, secretValues } from '../../host/plugin/secret.js'
import { acceptId, forPlatform } from '../shared/mentions.js'
import { cleanMessage } from '../render/clean.js'
import { compose, headline } from '../render/compose.js'
import { layout } from '../render/layout.js'
import { commonFields, httpUrl, rates } from '../shared/config.js'
import { HttpClient, httpError, jsonAnswer, platformText } from '../shared/http.js'
import { namedChannels, namedList } from '../shared/named.js'
import { feishuSign } from '../shared/signing.js'
import { feishuTarget, type FeishuParagraph } from './post.js'

/** Feishu refuses request bodies over 20 KB; the paragraphs get this much, leaving room for the envelope. */
export const FEISHU_BODY_LIMIT = 20 * 1024
const ENVELOPE_RESERVE = 1024

export interface FeishuPayload {
  msg_type: 'post'
  content: { post: { zh_cn: { title: string; content: FeishuParagraph[] } } }
}

const config = z
  .object({
    type: z.literal('feishu').optional(),
    webhooks: namedList({
      url: secret(httpUrl).describe('Custom bot webhook: https://open.feishu.cn/open-apis/bot/v2/hook/<token>'),
      secret: secret(z.string().min(1)).optional().describe('Signing secret ("signature verification" in the bot settings)'),
    }).describe('Named bots: the chat_key is feishu-<name>'),
    ...commonFields,
  })
  .strict()

// 9499 and 11232: too many requests; Feishu gives no wait time, a couple of seconds is what its limit (5/s) needs.
const RATE_CODES = new Set([9499, 11232])

export const feishuAdapter = defineAdapter({
  type: 'feishu',
  description: 'Feishu/Lark custom bots with signing: feishu-<bot name>',
  config,
  create(settings, context) {
    const clock = context.now ?? Date.now
    const client = new HttpClient(secretValues(config, settings))
    const bots = namedChannels(settings.webhooks, 'Feishu bot')
    const render = (_channel: string, input: Message): FeishuPayload[] => {
      // open_id / user_id in <at>; "all" only from mentionAll, never from a mention id.
      const message = forPlatform(cleanMessage(input), acceptId(/^[\w-]{1,64}$/))
      // The post's own title holds the headline (plain text): the paragraphs are the rest, each piece once.
      const title = [...headline(message)].slice(0, 200).join('')
      const limit = FEISHU_BODY_LIMIT - ENVELOPE_RESERVE - Buffer.byteLength(JSON.stringify(title))
      const { parts } = layout(compose(message, { omitTitle: true, mentionAll: true }), feishuTarget, { limit, maxParts: settings.maxParts })
      return parts.map((content) => ({ msg_type: 'post', content: { post: { zh_cn: { title, content } } } }))
    }
    return {
      name: context.name,
      type: 'feishu',
      // Documented: 100 per minute and 5 per second per bot; 5 per 3 s keeps both.
      rateLimits: rates({ perChat: { count: 5, intervalMs: 3000 } }, settings.rateLimit),
      checkChannel: bots.check,
      render,
      async send(channel, message, { payload, signal }) {
        const part = (payload as FeishuPayload | undefined) ?? render(channel, message)[0]
        const bot = bots.get(channel)!
        const body: Record<string, unknown> = { ...part }
        if (bot.secret) {
          const timestamp = Math.floor(clock() / 1000)
          body.timestamp = String(timestamp)
          body.sign = feishuSign(timestamp, bot.secret)
        }
        const answer = await client.postJson(bot.url, body, { signal })
        const failed = httpError(client, answer)
        if (failed) throw failed
        const reply = jsonAnswer<{ code?: number; msg?: string; StatusCode?: number }>(client, answer)
        const code = reply.code ?? reply.StatusCode ?? 0
        if (code === 0) return
        const rate = RATE_CODES.has(code)
        throw new SendError(`Feishu code ${code}: ${platformText(client, reply.msg ?? '')}`, { retryable: rate, retryAfterMs: rate ? 2000 : undefined, httpStatus: answer.status })
      },
      async close() {
        client.close()
      },
    }
  },
})
