// The Grafana alerting built-in: the unified alerting webhook body, with its optional HMAC signature.
import { chatKey, definePlugin, reply, secret, verify, z } from '../../index.js'
import { eventFromField } from '../shared/event.js'
import { checkAlertBody, firstSighting, formatAlertGroup, grafanaTitle, notificationKey, pruneSightings } from '../shared/alerts.js'
import { isTimeZone } from '../shared/format.js'
import { localeField } from '../shared/locale.js'
import { alertTemplate, sendAlertGroup } from '../shared/alert-send.js'
import { pruneRepeats, repeatField } from '../shared/repeat.js'
import { Templates } from '../shared/template.js'
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
    alertChat: chatKey(z.string().min(3)).optional().describe('chat_key that receives the alerts'),
    locale: localeField,
    timeZone: z.string().default('UTC').refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai'),
    dedupWindow: z.number().int().min(0).max(86_400).default(300).describe('Seconds in which the same notification is sent once'),
    repeat: repeatField,
    template: alertTemplate,
  }),
  setup(plugin) {
    const windowMs = plugin.config.dedupWindow * 1000
    const templates = new Templates(plugin.logger, plugin.config)
    plugin.setInterval(() => void pruneSightings(plugin.store, windowMs, plugin.host.now()).then(() => pruneRepeats(plugin.store, plugin.config.repeat, plugin.host.now())), 600_000)

    plugin.mountWebhook(
      '/grafana',
      async (req) => {
        const body = checkAlertBody(await req.json())
        if (windowMs > 0 && !(await firstSighting(plugin.store, notificationKey(body), windowMs, plugin.host.now()))) return reply.ignored('the same notification arrived within the duplicate window', { status: 'duplicate', alerts: body.alerts.length })
        const built = formatAlertGroup(body, plugin.config.locale, plugin.config.timeZone, grafanaTitle(body))
        const { severities, firing } = alertSeverities(body, built)
        const on = alertMentions(plugin.config, severities, firing)
        return sendAlertGroup(plugin, plugin.config, templates, body, withMentions(built, on.mentions, on.mentionAll))
      },
      {
        methods: ['POST'],
        // X-Grafana-Alerting-Signature, or X-Grafana-Alert-Signature that some versions send.
        verify: verify.grafana('hmacSecret', { timestampHeader: plugin.config.timestampHeader }),
        public: plugin.config.public,
        requireJson: true,
        event: eventFromField('status'),
        description: 'Grafana webhook contact point; optional HMAC: hmacSecret',
      },
    )
  },
})
