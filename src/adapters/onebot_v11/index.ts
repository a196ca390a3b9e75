// OneBot v11 (NapCat, Lagrange, go-cqhttp): send_group_msg / send_private_msg over the chosen transport, messages as segments.
import { z } from 'zod'
import { defineAdapter, SendError } from '../../host/outbox/adapter.js'
import type { Message } from '../../host/messages.js'
import { secret, secretValues } from '../../host/plugin/secret.js'
import { cleanMessage } from '../render/clean.js'
import { plain } from '../render/dialects.js'
import { commonFields, rates } from '../shared/config.js'
import { HttpClient, platformText } from '../shared/http.js'
import { duration } from '../../config/size.js'
import { createTransport } from './transport.js'
import { readAttachment } from '../shared/attachments.js'
import { textParts } from '../shared/text.js'
import { acceptId, forPlatform, mentionIds, namesOnly } from '../shared/mentions.js'
import { atAllAllowed, AT_ALL_NOTE } from './at-all.js'
import { fingerprint, UncertainSends } from './uncertain.js'
import { UnansweredCall } from './ws-link.js'
import { HookcatError } from '../../util/errors.js'

/** How long the start-up check waits for a WebSocket link to come up. */
const PROBE_LINK_WAIT_MS = 2000

const CHANNEL = /^(group|private)_([1-9]\d{4,11})$/
const QQ = /^[1-9]\d{4,11}$/

export type OneBotSegment =
  | { type: 'text'; data: { text: string } }
  | { type: 'at'; data: { qq: string } }
  | { type: 'image'; data: { file: string } }
  | { type: 'reply'; data: { id: string } }

export interface OneBotPayload {
  action: 'send_group_msg' | 'send_private_msg'
  params: { group_id?: number; user_id?: number; message: OneBotSegment[]; auto_escape: false }
  /** Images given by path: read from the plugin's data directory when the part is sent. */
  localImages: string[]
}

const config = z
  .object({
    type: z.literal('onebot_v11').optional(),
    transport: z
      .enum(['http', 'ws', 'ws-reverse'])
      .default('http')
      .describe('http: calls the HTTP API at url; ws: connects to the WebSocket server at url; ws-reverse: the implementation connects to hookcat at path'),
    url: secret(z.string().max(2000)).optional().describe('http: base URL of the OneBot HTTP API (http://127.0.0.1:3000); ws: its WebSocket server (ws://127.0.0.1:3001)'),
    accessToken: secret(z.string().min(1)).optional().describe('access_token of the OneBot implementation (sent as Authorization: Bearer; checked on reverse WebSocket connections)'),
    secret: secret(z.string().min(1))
      .optional()
      .describe('HTTP event reporting: the secret of the X-Signature HMAC (NapCat httpClients token); events are taken at /onebot/v11/http/<adapter> only with it'),
    path: z
      .string()
      .regex(/^\/[A-Za-z0-9/_.-]*$/)
      .default('/onebot/v11/ws')
      .describe('ws-reverse: the path on the main HTTP server the implementation connects to'),
    selfId: z.string().regex(/^\d{5,12}$/).optional().describe("The bot's QQ number: binds a reverse WebSocket connection (X-Self-ID) to this instance"),
    operators: z.array(z.string().regex(/^\d{5,12}$/)).max(200).default([]).describe('QQ numbers that may run every chat command in every chat'),
    locale: z.enum(['zh-CN', 'en']).default('zh-CN').describe('Language of the chat command answers'),
    callTimeout: duration.default(10_000).describe('WebSocket: how long an API call waits for its answer'),
    maxLength: z.number().int().min(100).max(100_000).default(4500).describe('Characters of text per message; longer ones are split'),
    ...commonFields,
  })
  .strict()
  .superRefine((c, ctx) => {
    const want = c.transport === 'http' ? /^https?:\/\// : c.transport === 'ws' ? /^wss?:\/\// : undefined
    if (want && !(c.url && want.test(c.url) && URL.canParse(c.url)))
      ctx.addIssue({ code: 'custom', path: ['url'], message: c.transport === 'http' ? 'an http(s) URL of the OneBot HTTP API is required' : 'a ws:// or wss:// URL of the OneBot WebSocket server is required' })
    // Fail closed: a reverse WebSocket endpoint without a token would take any bot that finds it.
    if (c.transport === 'ws-reverse' && !c.accessToken) ctx.addIssue({ code: 'custom', path: ['accessToken'], message: 'ws-reverse needs an accessToken, which the implementation must send (NapCat websocketClients token)' })
  })

// Retcodes that mean the request itself is wrong: sending it again cannot help. go-cqhttp says 100-104; NapCat answers
// parameters that fail its schema with 1400 over WebSocket and 400 over HTTP, an unknown action with 1404 (WebSocket).
// NapCat's 1200 (WebSocket) / 200 (HTTP) is an action that threw, e.g. a send QQ did not take: retried.
const FINAL_RETCODES = new Set([100, 102, 103, 104, 400, 1400, 1404])

export const onebotAdapter = defineAdapter({
  type: 'onebot_v11',
  description:
    'QQ through OneBot v11 (NapCat, Lagrange, go-cqhttp) over its HTTP API, a forward or a reverse WebSocket; receives chat commands: onebot_v11-group_<id>, onebot_v11-private_<id>',
  config,
  create(settings, context) {
    const secrets = secretValues(config, settings)
    const scrubber = new HttpClient(secrets)
    const url = settings.url?.replace(/\/+$/, '')
    const transport = createTransport({ ...settings, url, name: context.name, reconnect: { min: 1000, max: 30_000 } }, secrets, context.logger)
    const selfId = async (signal: AbortSignal): Promise<string | undefined> => {
      const known = transport.selfId()
      if (known) return known
      const { body } = await transport.call('get_login_info', {}, signal)
      const id = (body.data as { user_id?: unknown } | null | undefined)?.user_id
      return body.retcode === 0 && id !== undefined ? String(id) : undefined
    }
    const uncertain = new UncertainSends({ call: (action, params, signal) => transport.call(action, params, signal), selfId, logger: context.logger })
    const render = (channel: string, input: Message): OneBotPayload[] => {
      const message = forPlatform(cleanMessage(input), acceptId(QQ))
      const [, kind, id] = CHANNEL.exec(channel)!
      const group = kind === 'group'
      // In a group the ids become at segments and people without a QQ number are named in the text; a private chat is with the one person already.
      const texts = textParts({ ...(group ? namesOnly(message) : { ...message, mentions: [] }), images: [] }, plain, { unit: 'chars', limit: settings.maxLength, maxParts: settings.maxParts })
      return texts.map((text, i) => {
        const segments: OneBotSegment[] = []
        const localImages: string[] = []
        if (i === 0 && message.replyTo) segments.push({ type: 'reply', data: { id: message.replyTo } })
        if (i === 0 && group) {
          // @all first (checked against the group's quota when sent), then each person: what QQ shows as a mention.
          if (message.mentionAll) segments.push({ type: 'at', data: { qq: 'all' } }, { type: 'text', data: { text: ' ' } })
          for (const qq of mentionIds(message)) segments.push({ type: 'at', data: { qq } }, { type: 'text', data: { text: ' ' } })
        }
        segments.push({ type: 'text', data: { text } })
        if (i === texts.length - 1) {
          for (const image of message.images ?? []) {
            if (image.url) segments.push({ type: 'image', data: { file: image.url } })
            else if (image.path) localImages.push(image.path)
          }
        }
        const params = group ? { group_id: Number(id), message: segments, auto_escape: false as const } : { user_id: Number(id), message: segments, auto_escape: false as const }
        return { action: group ? 'send_group_msg' : 'send_private_msg', params, localImages }
      })
    }
    return {
      name: context.name,
      type: 'onebot_v11',
      // QQ's risk control punishes bursts; OneBot itself states no limit.
      rateLimits: rates({ perChat: { count: 10, intervalMs: 10_000 }, global: { count: 20, intervalMs: 1000 } }, settings.rateLimit),
      checkChannel: (channel) =>
        CHANNEL.test(channel) ? undefined : `a OneBot channel is group_<group number> or private_<QQ number> (e.g. group_123456), not "${channel.slice(0, 64)}"`,
      render,
      async probe(signal) {
        // A WebSocket is opened as the host attaches, and NapCat connects to a reverse one when it likes: give it a moment.
        if (!(await transport.ready(PROBE_LINK_WAIT_MS))) {
          if (settings.transport === 'ws-reverse') throw new HookcatError('PEER_NOT_CONNECTED', `no bot has connected yet (NapCat connects to ${settings.path}); messages wait in the outbox`)
          throw new SendError(`the OneBot WebSocket did not connect within ${PROBE_LINK_WAIT_MS / 1000} s`, { retryable: true })
        }
        const { body } = await transport.call('get_login_info', {}, signal)
        const data = (body as { data?: { user_id?: number; nickname?: string } }).data
        if (body.retcode !== 0 || !data?.user_id) throw new Error(`get_login_info answered retcode ${body.retcode ?? '?'}`)
        return `QQ ${data.user_id}${data.nickname ? ` (${platformText(scrubber, data.nickname)})` : ''}`
      },
      async send(channel, message, { payload, signal, plugin, messageId, part: index }) {
        const part = (payload as OneBotPayload | undefined) ?? render(channel, message)[0]
        const group = part.params.group_id !== undefined
        const target = (part.params.group_id ?? part.params.user_id)!
        // Per part: a split message whose second part lost its answer asks about that part only.
        const key = `${messageId}#${index ?? 0}`
        // The last attempt of this part may have landed without its answer: ask the history before sending it again.
        const earlier = await uncertain.settle(key, signal)
        if (earlier?.landed) return
        let segments = [...part.params.message]
        if (group && segments.some((s) => s.type === 'at' && s.data.qq === 'all')) {
          // QQ limits @all per group and per bot a day: ask first, and without quota say so instead of failing the send.
          if (!(await atAllAllowed(transport, target, signal))) {
            segments = segments.map((s) => (s.type === 'at' && s.data.qq === 'all' ? { type: 'text', data: { text: AT_ALL_NOTE } } : s))
          }
        }
        for (const path of part.localImages) segments.push({ type: 'image', data: { file: `base64://${(await readAttachment(context.dataDir, plugin, path)).toString('base64')}` } })
        // Wall clock, not the host's: it is compared with the times in the implementation's history.
        const started = Date.now()
        let answer: Awaited<ReturnType<typeof transport.call>>
        try {
          answer = await transport.call(part.action, { ...part.params, message: segments }, signal)
        } catch (error) {
          if (error instanceof UnansweredCall) uncertain.remember(key, { group, target, since: earlier?.since ?? started, print: fingerprint(segments) })
          throw error
        }
        const { body, httpStatus } = answer
        if (body.retcode === 0 || body.retcode === 1) {
          uncertain.sent(group, target, (body.data as { message_id?: unknown } | null | undefined)?.message_id)
          return
        }
        const why = platformText(scrubber, [body.wording, body.message, body.msg].filter(Boolean).join(' / ') || `status ${body.status ?? '?'}`)
        throw new SendError(`OneBot retcode ${body.retcode}: ${why}`, { retryable: !FINAL_RETCODES.has(Number(body.retcode)), httpStatus })
      },
      attach: (link) => transport.attach(link),
      status: () => transport.status(),
      async close() {
        transport.close()
        scrubber.close()
      },
    }
  },
})
