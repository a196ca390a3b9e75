// The Prometheus Alertmanager built-in: webhook format v4, Bearer or Basic auth, one message per notification, HA repeats dropped.
import { chatKey, definePlugin, HookcatError, reply, secret, verify, z, type Verifier } from '../../index.js'
import { eventFromField } from '../shared/event.js'
import { checkAlertBody, firstSighting, formatAlertGroup, notificationKey, pruneSightings } from '../shared/alerts.js'
import { isTimeZone } from '../shared/format.js'
import { localeField } from '../shared/locale.js'
import { alertTemplate, sendAlertGroup } from '../shared/alert-send.js'
import { pruneRepeats, repeatField } from '../shared/repeat.js'
import { Templates } from '../shared/template.js'
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
    alertChat: chatKey(z.string().min(3)).optional().describe('chat_key that receives the alerts'),
    locale: localeField,
    timeZone: z.string().default('UTC').refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai').describe('Time zone of the times shown'),
    ...alertMentionFields,
    dedupWindow: z.number().int().min(0).max(86_400).default(300).describe('Seconds in which the same notification (HA peers) is sent once'),
    repeat: repeatField,
    template: alertTemplate,
  }),
  setup(plugin) {
    const windowMs = plugin.config.dedupWindow * 1000
    const templates = new Templates(plugin.logger, plugin.config)
    plugin.setInterval(() => void pruneSightings(plugin.store, windowMs, plugin.host.now()).then(() => pruneRepeats(plugin.store, plugin.config.repeat, plugin.host.now())), 600_000)

    plugin.mountWebhook(
      '/alertmanager',
      async (req) => {
        const body = checkAlertBody(await req.json())
        if (body.version !== undefined && String(body.version) !== '4') {
          throw new HookcatError('VALIDATION_FAILED', `webhook format version ${String(body.version).slice(0, 10)} is not supported (expected 4)`, { details: { field: 'version' } })
        }
        const key = notificationKey(body)
        if (windowMs > 0 && !(await firstSighting(plugin.store, key, windowMs, plugin.host.now()))) return reply.ignored('the same notification arrived within the duplicate window', { status: 'duplicate', alerts: body.alerts.length })
        const built = formatAlertGroup(body, plugin.config.locale, plugin.config.timeZone)
        const { severities, firing } = alertSeverities(body, built)
        const on = alertMentions(plugin.config, severities, firing)
        return sendAlertGroup(plugin, plugin.config, templates, body, withMentions(built, on.mentions, on.mentionAll))
      },
      { methods: ['POST'], verify: bearerOrBasic(), requireJson: true, event: eventFromField('status'), description: 'Alertmanager webhook_config url; auth: bearerToken or basicAuth' },
    )
  },
})
