// The page's generic monitoring alert endpoint: Bearer apiToken; service and level required; time shown in a configured zone.
import { chatKey, definePlugin, HookcatError, reply, verify, z, type Message } from '../../index.js'
import { eventFromField } from '../shared/event.js'
import { rotatingSecret } from '../shared/secret-field.js'
import { excerpt, formatTime, isTimeZone, oneLine, render, Words } from '../shared/format.js'
import { severityWord } from '../shared/dictionary.js'
import { severityLook } from '../shared/icons.js'
import { localeField, type Locale } from '../shared/locale.js'
import { alertMentionFields, alertMentions, withMentions } from '../shared/people.js'
import { templateField, Templates } from '../shared/template.js'

/** What a monitor template sees besides event, payload, default and locale. */
export const MONITOR_VARIABLES = ['service', 'level', 'message', 'metrics', 'timestamp', 'time'] as const

/** The alert as its template sees it; `time` is the shown time in the configured zone. */
export function monitorScope(alert: MonitorAlert, locale: Locale, timeZone: string, receivedAt: number): Record<string, unknown> {
  return {
    event: 'alert',
    payload: alert,
    locale,
    service: alert.service,
    level: alert.level,
    message: alert.message ?? '',
    metrics: alert.metrics ?? {},
    timestamp: alert.timestamp ?? receivedAt,
    time: formatTime(alert.timestamp ?? receivedAt, timeZone) ?? '',
  }
}

export interface MonitorAlert {
  service: string
  level: string
  message?: string
  /** Seconds or milliseconds since the epoch, or an ISO 8601 text; default: when it arrived. */
  timestamp?: number | string
  metrics?: Record<string, string | number | boolean | null>
}

const MAX_METRICS = 10

function invalid(field: string, message: string): HookcatError {
  return new HookcatError('VALIDATION_FAILED', message, { details: { field } })
}

/** Checks the body; the first problem found is a 400 that names its field. */
export function parseMonitorAlert(body: unknown): MonitorAlert {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw invalid('body', 'The body must be a JSON object with service and level')
  const b = body as Record<string, unknown>
  for (const field of ['service', 'level'] as const) {
    if (b[field] === undefined || b[field] === null || b[field] === '') throw invalid(field, `${field} is required`)
    if (typeof b[field] !== 'string' || (b[field] as string).length > 200) throw invalid(field, `${field} must be a string of at most 200 characters`)
  }
  if (b.message !== undefined && b.message !== null && (typeof b.message !== 'string' || b.message.length > 4000)) {
    throw invalid('message', 'message must be a string of at most 4000 characters')
  }
  if (b.timestamp !== undefined && b.timestamp !== null && formatTime(b.timestamp, 'UTC') === undefined) {
    throw invalid('timestamp', 'timestamp must be seconds or milliseconds since the epoch, or an ISO 8601 time')
  }
  if (b.metrics !== undefined && b.metrics !== null) {
    const ok =
      typeof b.metrics === 'object' &&
      !Array.isArray(b.metrics) &&
      Object.values(b.metrics as object).every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v))
    if (!ok) throw invalid('metrics', 'metrics must be an object of names to numbers, strings or booleans')
  }
  return b as unknown as MonitorAlert
}

/** The alert as a message: the service as its source (so e-mail subjects name it), the severity in the title. */
export function formatMonitorAlert(alert: MonitorAlert, locale: Locale, timeZone: string, receivedAt: number): Message {
  const w = new Words(locale)
  const look = severityLook(alert.level)
  const time = formatTime(alert.timestamp ?? receivedAt, timeZone) ?? formatTime(receivedAt, timeZone)
  const metrics = Object.entries(alert.metrics ?? {})
  const message = excerpt(alert.message, 4, 110).map((l) => l.replace(/^> /, ''))
  return render({
    icon: look.icon,
    source: oneLine(alert.service, 80),
    headline: w.t('monitorTitle', { level: severityWord(locale, alert.level) }),
    lines: message.length > 0 ? message : [w.t('monitor.noDetails')],
    fields: [
      { name: w.t('field.time'), value: `${time} (${timeZone})`, inline: false },
      ...metrics.slice(0, MAX_METRICS).map(([name, value]) => ({ name: oneLine(name, 40), value: oneLine(String(value), 60) })),
      metrics.length > MAX_METRICS && { name: '…', value: w.t('more', { n: metrics.length - MAX_METRICS }) },
    ],
    level: look.level,
  })
}

export default definePlugin({
  name: 'monitor',
  version: '1.0.0',
  description: 'Generic monitoring alerts: POST {service, level, message, timestamp, metrics} with Authorization: Bearer <apiToken>.',
  config: z.object({
    apiToken: rotatingSecret()
      .optional()
      .describe('Token the monitoring system sends as Authorization: Bearer <apiToken>'),
    ...alertMentionFields,
    alertChat: chatKey(z.string().min(3)).optional().describe('chat_key that receives the alerts'),
    timeZone: z.string().default('UTC').refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai').describe('Time zone of the times shown'),
    locale: localeField,
    template: templateField(MONITOR_VARIABLES),
  }),
  setup(plugin) {
    const templates = new Templates(plugin.logger, plugin.config)
    plugin.mountWebhook(
      '/monitor/alert',
      async (req) => {
        const alert = parseMonitorAlert(await req.json())
        if (!plugin.config.alertChat) return reply.ignored('alertChat is not set', { status: 'dropped' })
        const { locale, timeZone } = plugin.config
        const now = plugin.host.now()
        const message = await templates.message(templates.for(), () => monitorScope(alert, locale, timeZone, now), formatMonitorAlert(alert, locale, timeZone, now))
        if (!message) return reply.filtered('the template rendered nothing for this alert', { status: 'dropped' })
        const on = alertMentions(plugin.config, [alert.level, message.level ?? ''], true)
        await plugin.send(plugin.config.alertChat, withMentions(message, on.mentions, on.mentionAll))
        return { status: 'success', message: 'alert sent' }
      },
      { methods: ['POST'], verify: verify.bearer('apiToken'), event: eventFromField('level'), description: 'Monitoring alert; Authorization: Bearer <apiToken>' },
    )
  },
})
