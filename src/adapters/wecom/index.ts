// WeCom (企业微信) group robots: markdown (4096 bytes) or text (2048 bytes) messages, 20 a minute; errcode in the body.
import { z } from 'zod'
import type { Message } from '../../host/messages.js'
import { defineAdapter, SendError } from '../../host/outbox/adapter.js'
import { secret, secretValues } from '../../host/plugin/secret.js'
import { acceptId, forPlatform, mentionIds, namesOnly } from '../shared/mentions.js'
import { cleanMessage } from '../render/clean.js'
import { plain, wecom } from '../render/dialects.js'
import { commonFields, httpUrl, rates } from '../shared/config.js'
import { HttpClient, httpError, jsonAnswer, platformText } from '../shared/http.js'
import { namedChannels, namedList } from '../shared/named.js'
import { textParts } from '../shared/text.js'

export const WECOM_MARKDOWN_LIMIT = 4096
export const WECOM_TEXT_LIMIT = 2048

export type WeComPayload =
  | { msgtype: 'markdown'; markdown: { content: string } }
  | { msgtype: 'text'; text: { content: string; mentioned_list?: string[]; mentioned_mobile_list?: string[] } }

const config = z
  .object({
    type: z.literal('wecom').optional(),
    apiBase: httpUrl.default('https://qyapi.weixin.qq.com').describe('API base URL for robots given by key'),
    webhooks: namedList({ key: secret(z.string().regex(/^[\w-]{8,100}$/, 'the key= part of the robot webhook URL')).describe('Robot key (the key= part of its webhook URL)') }).describe(
      'Named robots: the chat_key is wecom-<name>',
    ),
    format: z.enum(['markdown', 'text']).default('markdown'),
    ...commonFields,
  })
  .strict()

const MOBILE = /^\+?\d{11,15}$/
// A userid never starts with "@": "@all" can only come from mentionAll.
const userId = acceptId(/^[\w.-]{1,64}$/)

export const wecomAdapter = defineAdapter({
  type: 'wecom',
  description: 'WeCom group robots: wecom-<robot name>',
  config,
  create(settings, context) {
    const client = new HttpClient(secretValues(config, settings))
    const robots = namedChannels(settings.webhooks, 'WeCom robot')
    const render = (_channel: string, input: Message): WeComPayload[] => {
      const text = settings.format === 'text'
      // mentioned_list takes userids (and "@all", which only mentionAll adds); markdown only <@userid>.
      const message = forPlatform(cleanMessage(input), (m) => userId(m) ?? (text && m.mobile !== undefined && MOBILE.test(m.mobile) ? m.mobile : undefined))
      if (!text) {
        return textParts(message, wecom, { unit: 'bytes', limit: WECOM_MARKDOWN_LIMIT, maxParts: settings.maxParts }).map((content) => ({ msgtype: 'markdown', markdown: { content } }))
      }
      const mentions = mentionIds(message)
      const users = [...(message.mentionAll ? ['@all'] : []), ...mentions.filter((m) => !MOBILE.test(m))]
      // The ids go in mentioned_list / mentioned_mobile_list; people without one are named in the text.
      return textParts(namesOnly(message), plain, { unit: 'bytes', limit: WECOM_TEXT_LIMIT, maxParts: settings.maxParts }).map((content, i) => ({
        msgtype: 'text',
        text: i === 0 && (users.length || mentions.length) ? { content, mentioned_list: users, mentioned_mobile_list: mentions.filter((m) => MOBILE.test(m)) } : { content },
      }))
    }
    return {
      name: context.name,
      type: 'wecom',
      // Documented: 20 messages a minute per robot.
      rateLimits: rates({ perChat: { count: 20, intervalMs: 60_000 } }, settings.rateLimit),
      checkChannel: robots.check,
      render,
      async send(channel, message, { payload, signal }) {
        const part = (payload as WeComPayload | undefined) ?? render(channel, message)[0]
        const url = `${settings.apiBase}/cgi-bin/webhook/send?key=${encodeURIComponent(robots.get(channel)!.key)}`
        const answer = await client.postJson(url, part, { signal })
        const failed = httpError(client, answer)
        if (failed) throw failed
        const reply = jsonAnswer<{ errcode?: number; errmsg?: string }>(client, answer)
        if (!reply.errcode) return
        const why = `WeCom errcode ${reply.errcode}: ${platformText(client, reply.errmsg ?? '')}`
        // 45009: over the frequency limit (per minute); -1: the platform is busy. Anything else is the request.
        if (reply.errcode === 45009) throw new SendError(why, { retryable: true, retryAfterMs: 60_000, httpStatus: answer.status })
        throw new SendError(why, { retryable: reply.errcode === -1, httpStatus: answer.status })
      },
      async close() {
        client.close()
      },
    }
  },
})
