// Generic HTTP: each message as JSON POSTed to a configured URL, signed with hookcat's own HMAC header (see README.md).
import { z } from 'zod'
import type { Message } from '../../host/messages.js'
import { defineAdapter } from '../../host/outbox/adapter.js'
import { secret, secretValues } from '../../host/plugin/secret.js'
import { cleanMessage } from '../render/clean.js'
import { compose } from '../render/compose.js'
import { plain } from '../render/dialects.js'
import { renderParts, stringTarget } from '../render/layout.js'
import { commonFields, httpUrl, rates } from '../shared/config.js'
import { HttpClient, httpError } from '../shared/http.js'
import { hookcatSign } from '../shared/signing.js'

const CHANNEL = /^[A-Za-z0-9_.@:/+-]{1,128}$/

export const SIGNATURE_HEADER = 'x-hookcat-signature'
export const TIMESTAMP_HEADER = 'x-hookcat-timestamp'
export const ID_HEADER = 'x-hookcat-id'

export interface HttpPayload {
  text: string
  part: number
  parts: number
}

const config = z
  .object({
    type: z.literal('http').optional(),
    url: httpUrl.describe('Where messages are POSTed as JSON'),
    secret: secret(z.string().min(16, 'use at least 16 characters')).optional().describe('HMAC key of the X-Hookcat-Signature header'),
    bearerToken: secret(z.string().min(1)).optional().describe('Sent as Authorization: Bearer <token>'),
    maxLength: z.number().int().min(100).max(10_000_000).default(100_000).describe('Characters of text per request; longer messages are split'),
    ...commonFields,
  })
  .strict()

export const httpAdapter = defineAdapter({
  type: 'http',
  description: 'Generic signed JSON POST: http-<any routing tag>',
  config,
  create(settings, context) {
    const clock = context.now ?? Date.now
    const client = new HttpClient(secretValues(config, settings))
    const render = (_channel: string, message: Message): HttpPayload[] => {
      const texts = renderParts(compose(cleanMessage(message)), stringTarget(plain, 'chars'), { limit: settings.maxLength, maxParts: settings.maxParts })
      return texts.map((text, i) => ({ text, part: i + 1, parts: texts.length }))
    }
    return {
      name: context.name,
      type: 'http',
      rateLimits: rates({ global: { count: 50, intervalMs: 1000 } }, settings.rateLimit),
      checkChannel: (channel) => (CHANNEL.test(channel) ? undefined : `an http channel is 1-128 letters, digits or _ . @ : / + -, not "${channel.slice(0, 64)}"`),
      render,
      async send(channel, message, { payload, signal, messageId }) {
        const part = (payload as HttpPayload | undefined) ?? render(channel, message)[0]
        const timestamp = Math.floor(clock() / 1000)
        const body = JSON.stringify({ id: messageId, chatKey: `${context.name}-${channel}`, channel, ...part, message, timestamp })
        const headers: Record<string, string> = {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'hookcat',
          // The same for every attempt of a part: the receiver's key for dropping a resend.
          [ID_HEADER]: `${messageId}.${part.part}`,
          [TIMESTAMP_HEADER]: String(timestamp),
        }
        if (settings.secret) headers[SIGNATURE_HEADER] = `v1=${hookcatSign(timestamp, body, settings.secret)}`
        if (settings.bearerToken) headers.authorization = `Bearer ${settings.bearerToken}`
        const answer = await client.request(settings.url, { method: 'POST', body, headers, signal })
        const failed = httpError(client, answer)
        if (failed) throw failed
      },
      async close() {
        client.close()
      },
    }
  },
})
