// The Grafana alerting built-in: the unified alerting webhook body, with its optional HMAC signature.
import { definePlugin, secret, verify, z } from '../../index.js'
import { checkAlertBody, firstSighting, formatAlertGroup, grafanaTitle, notificationKey, pruneSightings } from '../shared/alerts.js'
import { isTimeZone } from '../shared/format.js'
import { localeField } from '../shared/locale.js'
import { alertMentionFields, alertMentions, alertSeverities, withMentions } from '../shared/people.js'

export default definePlugin({
  name: 'grafana',
  version: '1.0.0',
  description: 'Grafana alerting webhook notifications as one chat message each; HMAC signature checked when hmacSecret is set.',
  config: z.object({
    hmacSecret: secret(z.string().min(1)).optional().describe('The HMAC secret of the Grafana webhook contact point'),
    timestampHeader: z.string().min(1).optional().describe('The timestamp header configured in the contact point, if any'),
    public: z.boolean().default(false).describe('Accept unsigned notifications when no hmacSecret is set (only behind a trusted network)'),
    ...alertMentionFields,
    alertChat: z.string().min(3).optional().describe('chat_key that receives the alerts'),
    locale: localeField,
    timeZone: z.string().default('UTC').refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai'),
    dedupWindow: z.number().int().min(0).max(86_400).default(300).describe('Seconds in which the same notification is sent once'),
  }),
  setup(plugin) {
    const windowMs = plugin.config.dedupWindow * 1000
    plugin.setInterval(() => void pruneSightings(plugin.store, windowMs), 600_000)

    plugin.mountWebhook(
      '/grafana',
      async (req) => {
        const body = checkAlertBody(await req.json())
        if (windowMs > 0 && !(await firstSighting(plugin.store, notificationKey(body), windowMs))) return { status: 'duplicate', alerts: body.alerts.length }
        if (!plugin.config.alertChat) return { status: 'dropped', reason: 'alertChat is not set' }
        const message = formatAlertGroup(body, plugin.config.locale, plugin.config.timeZone, grafanaTitle(body))
        const { severities, firing } = alertSeverities(body, message)
        const on = alertMentions(plugin.config, severities, firing)
        await plugin.send(plugin.config.alertChat, withMentions(message, on.mentions, on.mentionAll))
        return { status: 'sent', alerts: body.alerts.length }
      },
      {
        methods: ['POST'],
        // X-Grafana-Alerting-Signature, or X-Grafana-Alert-Signature that some versions send.
        verify: verify.grafana('hmacSecret', { timestampHeader: plugin.config.timestampHeader }),
        public: plugin.config.public,
        requireJson: true,
        description: 'Grafana webhook contact point; optional HMAC: hmacSecret',
      },
    )
  },
})
