// The Prometheus Alertmanager built-in: webhook format v4, Bearer or Basic auth, one message per notification, HA repeats dropped.
import { definePlugin, HookcatError, secret, verify, z, type Verifier } from '../../index.js'
import { checkAlertBody, firstSighting, formatAlertGroup, notificationKey, pruneSightings } from '../shared/alerts.js'
import { isTimeZone } from '../shared/format.js'
import { localeField } from '../shared/locale.js'
import { alertMentionFields, alertMentions, alertSeverities, withMentions } from '../shared/people.js'

/** Bearer or Basic, whichever the request uses; each checks its own config field. */
function bearerOrBasic(): Verifier {
  const bearer = verify.bearer('bearerToken')
  const basic = verify.basic('basicAuth')
  return {
    scheme: 'alertmanager',
    description: 'Authorization: Bearer <bearerToken> or Basic <basicAuth>',
    secretField: 'bearerToken',
    hasSecret: (config) => bearer.hasSecret(config) || basic.hasSecret(config),
    verify(input) {
      const header = input.headers.authorization
      const value = Array.isArray(header) ? header[0] : header
      if (value && /^basic\s/i.test(value)) return basic.verify(input)
      if (!bearer.hasSecret(input.config) && basic.hasSecret(input.config)) {
        throw new HookcatError('UNAUTHORIZED', 'The Authorization: Basic header is missing')
      }
      return bearer.verify(input)
    },
  }
}

export default definePlugin({
  name: 'alertmanager',
  version: '1.0.0',
  description: 'Prometheus Alertmanager notifications (webhook v4) as one chat message each, firing and resolved, HA duplicates dropped.',
  config: z.object({
    bearerToken: secret(z.string().min(1)).optional().describe('http_config.authorization.credentials of the Alertmanager receiver'),
    basicAuth: secret(z.string().regex(/^[^:]+:.+$/, 'must be "user:password"')).optional().describe('http_config.basic_auth as "user:password"'),
    alertChat: z.string().min(3).optional().describe('chat_key that receives the alerts'),
    locale: localeField,
    timeZone: z.string().default('UTC').refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai').describe('Time zone of the times shown'),
    ...alertMentionFields,
    dedupWindow: z.number().int().min(0).max(86_400).default(300).describe('Seconds in which the same notification (HA peers) is sent once'),
  }),
  setup(plugin) {
    const windowMs = plugin.config.dedupWindow * 1000
    plugin.setInterval(() => void pruneSightings(plugin.store, windowMs), 600_000)

    plugin.mountWebhook(
      '/alertmanager',
      async (req) => {
        const body = checkAlertBody(await req.json())
        if (body.version !== undefined && String(body.version) !== '4') {
          throw new HookcatError('VALIDATION_FAILED', `webhook format version ${String(body.version).slice(0, 10)} is not supported (expected 4)`, { details: { field: 'version' } })
        }
        const key = notificationKey(body)
        if (windowMs > 0 && !(await firstSighting(plugin.store, key, windowMs))) return { status: 'duplicate', alerts: body.alerts.length }
        if (!plugin.config.alertChat) {
          plugin.logger.warn('alert received but alertChat is not set')
          return { status: 'dropped', reason: 'alertChat is not set' }
        }
        const message = formatAlertGroup(body, plugin.config.locale, plugin.config.timeZone)
        const { severities, firing } = alertSeverities(body, message)
        const on = alertMentions(plugin.config, severities, firing)
        await plugin.send(plugin.config.alertChat, withMentions(message, on.mentions, on.mentionAll))
        return { status: 'sent', alerts: body.alerts.length }
      },
      { methods: ['POST'], verify: bearerOrBasic(), requireJson: true, description: 'Alertmanager webhook_config url; auth: bearerToken or basicAuth' },
    )
  },
})
