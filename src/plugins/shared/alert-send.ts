// What the alert-group plugins (Alertmanager, Grafana) share after verification: template, repeat control, send.
import { reply, type Message, type Plugin } from '../../index.js'
import type { Json } from './forge.js'
import type { Locale } from './locale.js'
import { repeatDecision, repeatMessage, type RepeatConfig } from './repeat.js'
import { templateField, type Templates } from './template.js'

/** What an alert template sees besides event, payload, default and locale. */
export const ALERT_VARIABLES = ['status', 'receiver', 'groupKey', 'groupLabels', 'labels', 'commonLabels', 'commonAnnotations', 'externalURL', 'alerts', 'firing', 'resolved', 'truncatedAlerts', 'title'] as const
export const alertTemplate = templateField(ALERT_VARIABLES)

/** The alert group as its template sees it: the body's own fields, the common labels as `labels`, firing and resolved counts. */
export function alertScope(body: Json, locale: Locale): Record<string, unknown> {
  const alerts = (body.alerts as Json[]).filter((a) => a && typeof a === 'object')
  return {
    event: body.status,
    payload: body,
    locale,
    status: body.status,
    receiver: body.receiver ?? '',
    groupKey: body.groupKey ?? '',
    groupLabels: body.groupLabels ?? {},
    labels: body.commonLabels ?? {},
    commonLabels: body.commonLabels ?? {},
    commonAnnotations: body.commonAnnotations ?? {},
    externalURL: body.externalURL ?? '',
    alerts,
    firing: alerts.filter((a) => a.status !== 'resolved').length,
    resolved: alerts.filter((a) => a.status === 'resolved').length,
    truncatedAlerts: Number(body.truncatedAlerts) > 0 ? Number(body.truncatedAlerts) : 0,
    title: typeof body.title === 'string' ? body.title : '',
  }
}

/** The message of a full notification: the operator's template over the built-in one. */
export function alertMessage(templates: Templates, body: Json, locale: Locale, built: Message): Promise<Message | undefined> {
  return templates.message(templates.for(), () => alertScope(body, locale), built)
}

export interface AlertSettings {
  alertChat?: string
  locale: Locale
  timeZone: string
  repeat: RepeatConfig
}

/** Sends one notification to the alert chat: in full, as a short repeat or flapping line, or not at all (suppressed). */
export async function sendAlertGroup(plugin: Pick<Plugin, 'send' | 'store' | 'logger' | 'host'>, settings: AlertSettings, templates: Templates, body: Json, built: Message) {
  const alerts = body.alerts.length
  if (!settings.alertChat) {
    plugin.logger.warn('alert received but alertChat is not set')
    return reply.ignored('alertChat is not set', { status: 'dropped' })
  }
  const decision = await repeatDecision(plugin.store, body, settings.repeat, plugin.host.now())
  if (decision.kind === 'suppress') return reply.filtered(`repeat ×${decision.count} within repeat.window`, { status: 'suppressed', alerts })
  const full = await alertMessage(templates, body, settings.locale, built)
  if (!full) return reply.filtered('the template rendered nothing for this notification', { status: 'dropped', alerts })
  const message = decision.kind === 'full' ? full : repeatMessage(decision, full, settings.locale, settings.timeZone)
  await plugin.send(settings.alertChat, message)
  return { status: 'sent', alerts, ...(decision.kind === 'full' ? {} : { repeat: decision.kind }) }
}
