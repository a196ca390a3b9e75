// Alert groups (Alertmanager v4 and Grafana's Alertmanager-shaped body) as one message per notification.
import { createHash } from 'node:crypto'
import { HookcatError, type Message, type PluginStore } from '../../index.js'
import type { Json } from './forge.js'
import { severityWord } from './dictionary.js'
import { formatTime, httpUrl, oneLine, render, str, Words } from './format.js'
import { severityLook } from './icons.js'
import type { Locale } from './locale.js'
import { updateStored } from './lock.js'

const PER_SECTION = 8

/** Checks the fields every Alertmanager-shaped body has; a body without them is a 400 naming the field. */
export function checkAlertBody(body: unknown): Json {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new HookcatError('VALIDATION_FAILED', 'The body must be a JSON object')
  const b = body as Json
  if (!Array.isArray(b.alerts)) throw new HookcatError('VALIDATION_FAILED', 'alerts must be an array', { details: { field: 'alerts' } })
  if (b.status !== 'firing' && b.status !== 'resolved') throw new HookcatError('VALIDATION_FAILED', 'status must be "firing" or "resolved"', { details: { field: 'status' } })
  return b
}

/** Label keys a reader never needs (Grafana's internal ones). */
const hiddenLabel = (key: string) => key.startsWith('__') || key === 'grafana_folder'

function labelsOf(alert: Json): Record<string, string> {
  const labels = alert.labels && typeof alert.labels === 'object' ? (alert.labels as Record<string, unknown>) : {}
  return Object.fromEntries(Object.entries(labels).filter(([k, v]) => typeof v === 'string' && v !== '' && !hiddenLabel(k))) as Record<string, string>
}

function labelText(labels: Record<string, string>, keys: string[]): string {
  return keys.filter((k) => labels[k] !== undefined).map((k) => `${k}=${oneLine(labels[k], 40)}`).join(', ')
}

/** The value every alert shares for a key (labels or annotations), or undefined when they differ or some lack it. */
function sharedValue(values: Array<string | undefined>): string | undefined {
  const first = values[0]
  return first && values.every((v) => v === first) ? first : undefined
}

const annotation = (alert: Json, key: string) => (typeof alert.annotations?.[key] === 'string' && alert.annotations[key].trim() !== '' ? (alert.annotations[key] as string) : undefined)

/** Grafana's measured values of an alert ("B=44.24"), up to three; '' when it has none. */
function valuesText(alert: Json): string {
  const values = alert.values && typeof alert.values === 'object' && !Array.isArray(alert.values) ? Object.entries(alert.values as Record<string, unknown>) : []
  return values
    .filter(([, v]) => typeof v === 'number' && Number.isFinite(v))
    .slice(0, 3)
    .map(([k, v]) => `${oneLine(k, 20)}=${Number((v as number).toPrecision(4))}`)
    .join(', ')
}

const SEVERITY_ORDER = ['critical', 'error', 'warning', 'info']

/** The most severe severity label among the alerts ('warning' when none says). */
function groupSeverity(alerts: Json[], common: Record<string, string>): string {
  if (common.severity) return common.severity
  const levels = alerts.map((a) => severityLook(str(a.labels?.severity) || 'warning').level)
  return SEVERITY_ORDER.find((l) => levels.includes(l as never)) ?? 'warning'
}

interface Group {
  text: string
  count: number
  time?: string
}

/**
 * The message of one notification: the group's common labels and annotations once; for each alert, the labels and
 * texts that tell it apart, identical lines collapsed with a count; each distinct link once; firing and resolved
 * counted; beyond a limit "and K more"; truncated alerts counted. Severity decides the level.
 */
export function formatAlertGroup(body: Json, locale: Locale, timeZone: string, title?: string): Message {
  const w = new Words(locale)
  const alerts: Json[] = body.alerts.filter((a: unknown) => a && typeof a === 'object')
  const firing = alerts.filter((a) => a.status !== 'resolved')
  const resolved = alerts.filter((a) => a.status === 'resolved')
  const isFiring = body.status === 'firing'
  const truncated = Number(body.truncatedAlerts) > 0 ? Math.floor(Number(body.truncatedAlerts)) : 0
  const labels = alerts.map(labelsOf)
  const keys = [...new Set(labels.flatMap((l) => Object.keys(l)))]
  const common: Record<string, string> = {}
  for (const k of keys) {
    const v = sharedValue(labels.map((l) => l[k]))
    if (v !== undefined) common[k] = v
  }
  const differing = keys.filter((k) => common[k] === undefined)
  // alertname first when it differs: it says most about the alert.
  differing.sort((a, b) => (a === 'alertname' ? -1 : b === 'alertname' ? 1 : 0))
  const texts = ['summary', 'description'].map((key) => ({ key, shared: sharedValue(alerts.map((a) => annotation(a, key))) }))
  const source =
    oneLine(title, 80) || str(body.groupLabels?.alertname) || common.alertname || labelText(common, Object.keys(common).slice(0, 3)) || w.unknown

  // One line per alert: the labels that tell it apart, then the first text of its own (summary, else description).
  const alertText = (alert: Json, i: number): string => {
    const which = labelText(labels[i]!, differing.slice(0, 4))
    const own = texts.map(({ key, shared }) => ({ key, value: annotation(alert, key), shared })).find((t) => t.value && t.value !== t.shared)
    const what = [which, own && oneLine(own.value, Math.max(40, 90 - [...which].length)), valuesText(alert)].filter(Boolean).join(' · ')
    return what || oneLine(alert.labels?.alertname, 60) || w.unknown
  }
  const alertTime = (alert: Json): string | undefined => {
    const done = alert.status === 'resolved'
    // Alertmanager sends endsAt 0001-01-01 for alerts still firing.
    const time = formatTime(done ? alert.endsAt : alert.startsAt, timeZone)
    return time && !time.startsWith('0001') ? w.t(done ? 'alert.ended' : 'alert.since', { time }) : undefined
  }
  const section = (list: Json[]): string[] => {
    const groups = new Map<string, Group>()
    for (const alert of list) {
      const text = alertText(alert, alerts.indexOf(alert))
      const group = groups.get(text)
      if (group) group.count++
      else groups.set(text, { text, count: 1, time: alertTime(alert) })
    }
    const all = [...groups.values()]
    const shown = all.slice(0, PER_SECTION)
    const lines = shown.map((g) => `- ${[g.text, g.count > 1 ? `×${g.count}` : '', g.count === 1 ? g.time : ''].filter(Boolean).join(' · ')}`)
    const hidden = all.slice(PER_SECTION).reduce((n, g) => n + g.count, 0)
    return hidden > 0 ? [...lines, w.t('alert.moreOf', { n: hidden, total: list.length })] : lines
  }

  // Each distinct URL once: the link is the one generator URL the alerts share, or the group's external URL.
  const generators = [...new Set([...firing, ...resolved].map((a) => httpUrl(a.generatorURL)).filter((u): u is string => !!u))]
  const external = httpUrl(body.externalURL)
  const link = generators.length === 1 ? generators[0] : (external ?? generators[0])
  const others = [...new Set([...generators, ...(external ? [external] : [])])].filter((u) => u !== link).slice(0, 3)
  const runbook = sharedValue(alerts.map((a) => httpUrl(annotation(a, 'runbook_url'))))

  const severity = groupSeverity(firing.length > 0 ? firing : alerts, common)
  const look = severityLook(severity)
  const single = alerts.length === 1 && truncated === 0
  const commonKeys = Object.keys(common).filter((k) => k !== 'alertname' && k !== 'severity')
  const both = firing.length > 0 && resolved.length > 0
  const time = single ? alertTime(alerts[0]!) : undefined
  return render({
    icon: isFiring ? look.icon : '✅',
    source,
    headline: isFiring ? w.t('alertFiring', { count: w.count('count.alert', firing.length + truncated) }) : w.t('alertResolved', { count: w.count('count.alert', resolved.length) }),
    lines: [
      ...texts.map((t) => t.shared && oneLine(t.shared, 110)),
      ...(single
        ? [time]
        : both
          ? [w.t('alert.firingSection', { n: firing.length }), ...section(firing), w.t('alert.resolvedSection', { n: resolved.length }), ...section(resolved)]
          : section(alerts)),
      truncated > 0 && w.t('alert.truncated', { n: truncated }),
      ...others.map((url) => w.t('alert.view', { url })),
      runbook && runbook !== link && !others.includes(runbook) && w.t('alert.runbook', { url: runbook }),
    ],
    fields: [
      isFiring && { name: w.t('field.severity'), value: severityWord(locale, severity) },
      both && { name: w.t('field.alerts'), value: w.t('alert.counts', { firing: firing.length + truncated, resolved: resolved.length }) },
      ...commonKeys.slice(0, 6).map((k) => ({ name: k, value: common[k] })),
    ],
    url: link,
    level: isFiring ? look.level : 'success',
  })
}

/** Grafana's title without its "[FIRING:2]" prefix (the message says that already). */
export function grafanaTitle(body: Json): string | undefined {
  const title = typeof body.title === 'string' ? body.title.replace(/^\[(FIRING|RESOLVED)(:\d+)?\]\s*/i, '').trim().replace(/^\((.*)\)$/, '$1').trim() : ''
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
