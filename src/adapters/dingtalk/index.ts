// DingTalk robots: signed markdown messages (about 20,000 bytes each), 20 a minute; errcode in the body.
import { z } from 'zod'
import type { Message } from '../../host/messages.js'
import { defineAdapter, SendError } from '../../host/outbox/adapter.js'
import { secret, secretValues } from '../../host/plugin/secret.js'
import { acceptId, forPlatform, mentionIds } from '../shared/mentions.js'
import { cleanMessage } from '../render/clean.js'
import { headline } from '../render/compose.js'
import { inlineText, parseInline } from '../render/markdown.js'
import { dingtalk } from '../render/dialects.js'
import { commonFields, httpUrl, rates } from '../shared/config.js'
import { HttpClient, httpError, jsonAnswer, platformText } from '../shared/http.js'
import { namedChannels, namedList } from '../shared/named.js'
import { dingtalkSign } from '../shared/signing.js'
import { textParts } from '../shared/text.js'

/** errcode 460101 "message too long" starts near 20,000 bytes; the markdown text stays under this. */
export const DINGTALK_TEXT_LIMIT = 18_000

export interface DingTalkPayload {
  msgtype: 'markdown'
  markdown: { title: string; text: string }
  at: { atUserIds: string[]; atMobiles: string[]; isAtAll: boolean }
}

const config = z
  .object({
    type: z.literal('dingtalk').optional(),
    webhooks: namedList({
      url: secret(httpUrl).describe('Robot webhook: https://oapi.dingtalk.com/robot/send?access_token=<token>'),
      secret: secret(z.string().min(1)).optional().describe('Signing secret (SEC…) when the robot uses "加签"'),
    }).describe('Named robots: the chat_key is dingtalk-<name>'),
    ...commonFields,
  })
  .strict()

const MOBILE = /^\+?\d{11,15}$/
const userId = acceptId(/^[\w.-]{1,64}$/)

export const dingtalkAdapter = defineAdapter({
  type: 'dingtalk',
  description: 'DingTalk robots with signing: dingtalk-<robot name>',
  config,
  create(settings, context) {
    const clock = context.now ?? Date.now
    const client = new HttpClient(secretValues(config, settings))
    const robots = namedChannels(settings.webhooks, 'DingTalk robot')
    const render = (_channel: string, input: Message): DingTalkPayload[] => {
      // A mobile number is preferred (atMobiles works for every robot); the text must say "@<mobile>" or "@<userId>" for DingTalk to ping.
      const message = forPlatform(cleanMessage(input), (m) => (m.mobile !== undefined && MOBILE.test(m.mobile) ? m.mobile : userId(m)))
      // The title shows in notifications only (plain text, never markup); the text carries everything.
      const first = message.markdown !== undefined ? inlineText(parseInline(message.markdown.split('\n')[0] ?? '')) : (message.text.split('\n')[0] ?? '')
      const title = [...(headline(message) || first)].slice(0, 64).join('') || 'hookcat'
      const mentions = mentionIds(message)
      const at = { atUserIds: mentions.filter((m) => !MOBILE.test(m)), atMobiles: mentions.filter((m) => MOBILE.test(m)), isAtAll: message.mentionAll === true }
      return textParts(message, dingtalk, { unit: 'bytes', limit: DINGTALK_TEXT_LIMIT, maxParts: settings.maxParts, lineSuffix: '  ' }).map((text, i) => ({
        msgtype: 'markdown',
        markdown: { title, text },
        at: i === 0 ? at : { atUserIds: [], atMobiles: [], isAtAll: false },
      }))
    }
    return {
      name: context.name,
      type: 'dingtalk',
      // Documented: 20 messages a minute per robot, then throttled for 10 minutes.
      rateLimits: rates({ perChat: { count: 20, intervalMs: 60_000 } }, settings.rateLimit),
      checkChannel: robots.check,
      render,
      async send(channel, message, { payload, signal }) {
        const part = (payload as DingTalkPayload | undefined) ?? render(channel, message)[0]
        const robot = robots.get(channel)!
        let url = robot.url
        if (robot.secret) {
          const timestamp = clock()
          url += `${url.includes('?') ? '&' : '?'}timestamp=${timestamp}&sign=${dingtalkSign(timestamp, robot.secret)}`
        }
        const answer = await client.postJson(url, part, { signal })
        const failed = httpError(client, answer)
        if (failed) throw failed
        const reply = jsonAnswer<{ errcode?: number; errmsg?: string }>(client, answer)
        if (!reply.errcode) return
        const why = `DingTalk errcode ${reply.errcode}: ${platformText(client, reply.errmsg ?? '')}`
        // 130101: sending too fast (throttled for minutes); -1: the platform is busy. Anything else is the request.
        if (reply.errcode === 130101) throw new SendError(why, { retryable: true, retryAfterMs: 60_000, httpStatus: answer.status })
        throw new SendError(why, { retryable: reply.errcode === -1, httpStatus: answer.status })
      },
      async close() {
        client.close()
      },
    }
  },
})
