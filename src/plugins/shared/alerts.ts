// Alert groups (Alertmanager v4 and Grafana's Alertmanager-shaped body) as one message per notification.
import { createHash } from 'node:crypto'
import { HookcatError, type Message, type PluginStore } from '../../index.js'
import type { Json } from './forge.js'
import { formatTime, httpUrl, listLines, oneLine, render, str, Words } from './format.js'
import { severityLook } from './icons.js'
import type { Locale } from './locale.js'
import { updateStored } from './lock.js'

const PER_SECTION = 5

/** Checks the fields every Alertmanager-shaped body has; a body without them is a 400 naming the field. */
export function checkAlertBody(body: unknown): Json {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new HookcatError('VALIDATION_FAILED', 'The body must be a JSON object')
  const b = body as Json
  if (!Array.isArray(b.alerts)) throw new HookcatError('VALIDATION_FAILED', 'alerts must be an array', { details: { field: 'alerts' } })
  if (b.status !== 'firing' && b.status !== 'resolved') throw new HookcatError('VALIDATION_FAILED', 'status must be "firing" or "resolved"', { details: { field: 'status' } })
  return b
}

function labelText(labels: unknown, skip: string[] = []): string {
  if (!labels || typeof labels !== 'object') return ''
  return Object.entries(labels as Record<string, unknown>)
    .filter(([k, v]) => !skip.includes(k) && typeof v === 'string' && v !== '')
    .slice(0, 4)
    .map(([k, v]) => `${k}=${oneLine(v, 40)}`)
    .join(', ')
}

function alertLine(w: Words, alert: Json, timeZone: string): string {
  const what = oneLine(alert.annotations?.summary, 60) || oneLine(alert.annotations?.description, 60) || oneLine(alert.labels?.alertname, 60) || w.unknown
  const where = oneLine(alert.labels?.instance, 40) || oneLine(alert.labels?.job, 40)
  const resolved = alert.status === 'resolved'
  // Alertmanager sends endsAt 0001-01-01 for alerts still firing.
  const time = formatTime(resolved ? alert.endsAt : alert.startsAt, timeZone)
  const when = time && !time.startsWith('0001') ? w.t(resolved ? 'alert.ended' : 'alert.since', { time }) : ''
  return `- ${[what, where, when].filter(Boolean).join(' · ')}`
}

/** The message of one notification: firing and resolved alerts in their own sections, truncated ones counted. */
export function formatAlertGroup(body: Json, locale: Locale, timeZone: string, title?: string): Message {
  const w = new Words(locale)
  const alerts: Json[] = body.alerts.filter((a: unknown) => a && typeof a === 'object')
  const firing = alerts.filter((a) => a.status !== 'resolved')
  const resolved = alerts.filter((a) => a.status === 'resolved')
  const isFiring = body.status === 'firing'
  const source =
    oneLine(title, 80) ||
    str(body.groupLabels?.alertname) ||
    str(body.commonLabels?.alertname) ||
    labelText(body.groupLabels) ||
    labelText(body.commonLabels) ||
    w.unknown
  const section = (list: Json[]) => listLines(w, list.map((a) => alertLine(w, a, timeZone)), PER_SECTION)
  const both = firing.length > 0 && resolved.length > 0
  const truncated = Number(body.truncatedAlerts) > 0 ? Number(body.truncatedAlerts) : 0
  const common = labelText(body.commonLabels, ['alertname'])
  const look = isFiring ? severityLook(str(body.commonLabels?.severity) || 'warning') : undefined
  return render({
    icon: isFiring ? '🔥' : '✅',
    source,
    headline: isFiring ? w.t('alertFiring', { count: w.count('count.alert', firing.length + truncated) }) : w.t('alertResolved', { count: w.count('count.alert', resolved.length) }),
    lines: [
      common && w.t('alert.common', { labels: common }),
      ...(both ? [w.t('alert.firingSection', { n: firing.length }), ...section(firing), w.t('alert.resolvedSection', { n: resolved.length }), ...section(resolved)] : section(alerts)),
      truncated > 0 && w.t('alert.truncated', { n: truncated }),
    ],
    url: httpUrl(firing[0]?.generatorURL) ?? httpUrl(body.externalURL) ?? httpUrl(alerts[0]?.generatorURL),
    level: look ? look.level : 'success',
  })
}

/** Grafana's title without its "[FIRING:2]" prefix (the message says that already). */
export function grafanaTitle(body: Json): string | undefined {
  const title = typeof body.title === 'string' ? body.title.replace(/^\[(FIRING|RESOLVED)(:\d+)?\]\s*/i, '').trim() : ''
  return title || undefined
}

/** groupKey + status + every alert's fingerprint and status: the same notification from two HA peers has the same key. */
export function notificationKey(body: Json): string {
  const alerts = (body.alerts as Json[]).map((a) => `${str(a?.fingerprint) || JSON.stringify(a?.labels ?? {})}=${str(a?.status)}`).sort()
  return createHash('sha256').update(JSON.stringify([str(body.groupKey), str(body.status), alerts])).digest('hex')
}

/** True the first time a notification key is seen within the window; repeats (HA peers, retries) are false. */
export async function firstSighting(store: PluginStore, key: string, windowMs: number, now = Date.now()): Promise<boolean> {
  const storeKey = `seen:${key}`
  return updateStored<number, boolean>(store, storeKey, (at) =>
    typeof at === 'number' && now - at < windowMs ? { result: false } : { result: true, value: now },
  )
}

/** Forgets notification keys older than the window (one bounded batch per call). */
export async function pruneSightings(store: PluginStore, windowMs: number, now = Date.now()): Promise<void> {
  for (const { key, value } of (await store.list<number>('seen:')).slice(0, 1000)) {
    if (typeof value !== 'number' || now - value >= windowMs) await store.delete(key)
  }
}
