// Slack incoming webhooks: Block Kit for structured messages, mrkdwn text otherwise (40,000 characters); 429 with Retry-After.
import { z } from 'zod'
import type { Message } from '../../host/messages.js'
import { defineAdapter } from '../../host/outbox/adapter.js'
import { secret, secretValues } from '../../host/plugin/secret.js'
import { acceptId, forPlatform } from '../shared/mentions.js'
import { cleanMessage } from '../render/clean.js'
import { headline } from '../render/compose.js'
import { slack } from '../render/dialects.js'
import { commonFields, httpUrl, rates } from '../shared/config.js'
import { HttpClient, httpError } from '../shared/http.js'
import { namedChannels, namedList } from '../shared/named.js'
import { textParts } from '../shared/text.js'
import { SLACK_BLOCK_LIMITS, slackBlocks, type SlackBlock } from './blocks.js'

export const SLACK_TEXT_LIMIT = 40_000

export interface SlackPayload {
  /** The whole message in mrkdwn, or with blocks the notification's fallback: the headline. */
  text: string
  mrkdwn: true
  blocks?: SlackBlock[]
}

const config = z
  .object({
    type: z.literal('slack').optional(),
    webhooks: namedList({ url: secret(httpUrl).describe('Incoming webhook URL: https://hooks.slack.com/services/…') }).describe('Named webhooks: the chat_key is slack-<name>'),
    ...commonFields,
  })
  .strict()

export const slackAdapter = defineAdapter({
  type: 'slack',
  description: 'Slack incoming webhooks: slack-<webhook name>',
  config,
  create(settings, context) {
    const client = new HttpClient(secretValues(config, settings))
    const hooks = namedChannels(settings.webhooks, 'Slack webhook')
    const render = (_channel: string, input: Message): SlackPayload[] => {
      // Member ids (U…/W…) become <@U…>; @all is <!channel>, only when the message asks for it.
      const message = forPlatform(cleanMessage(input), acceptId(/^[UW][A-Z0-9]{2,20}$/))
      const blocks = slackBlocks(message)
      if (blocks) return [{ text: slack.text(headline(message) || message.text.split('\n')[0]).slice(0, SLACK_BLOCK_LIMITS.sectionText), mrkdwn: true, blocks }]
      return textParts(message, slack, { unit: 'chars', limit: SLACK_TEXT_LIMIT, maxParts: settings.maxParts, compose: { mentionAll: true } }).map((text) => ({ text, mrkdwn: true }))
    }
    return {
      name: context.name,
      type: 'slack',
      // Documented: about one message per second per webhook, short bursts allowed.
      rateLimits: rates({ perChat: { count: 1, intervalMs: 1000 } }, settings.rateLimit),
      checkChannel: hooks.check,
      render,
      async send(channel, message, { payload, signal }) {
        const part = (payload as SlackPayload | undefined) ?? render(channel, message)[0]
        const answer = await client.postJson(hooks.get(channel)!.url, part, { signal })
        const failed = httpError(client, answer)
        if (failed) throw failed
      },
      async close() {
        client.close()
      },
    }
  },
})
