// Repeat control of alert groups: a re-sent firing becomes one short "still firing (×3, since 08:14)" line or nothing; flapping is summarised.
import { createHash } from 'node:crypto'
import { z, type Message, type PluginStore } from '../../index.js'
import { duration } from '../../config/size.js'
import type { Json } from './forge.js'
import { formatTime, str, Words } from './format.js'
import type { Locale } from './locale.js'
import { serialized } from './lock.js'

export const REPEAT_DEFAULTS = { window: 4 * 3_600_000, mode: 'summary' as const, flapWindow: 10 * 60_000, flapChanges: 3 }

export const repeatField = z
  .object({
    window: duration.default(REPEAT_DEFAULTS.window).describe('How long after a full message the same firing alerts count as a repeat (default 4h)'),
    mode: z.enum(['summary', 'suppress', 'off']).default(REPEAT_DEFAULTS.mode).describe('A repeat becomes one "still firing" line (summary), nothing (suppress), or the full message again (off: no repeat or flapping control)'),
    flapWindow: duration.default(REPEAT_DEFAULTS.flapWindow).describe('Changes between firing and resolved within this time count as flapping (default 10m)'),
    flapChanges: z.number().int().min(2).max(100).default(REPEAT_DEFAULTS.flapChanges).describe('This many changes within flapWindow are flapping (default 3)'),
  })
  .strict()
  .prefault({})
  .describe('Repeat control: repeated firing notifications of one alert group, and flapping')

export type RepeatConfig = z.output<typeof repeatField>

/** What the plugin remembers of one alert group (plugin.store, key repeat:<hash of groupKey>). */
interface GroupState {
  /** The status of the last notification. */
  status: 'firing' | 'resolved'
  /** The firing alerts (fingerprints) of the last full firing message. */
  firingSet: string
  /** When this firing episode began, and how many notifications it has had. */
  since: number
  count: number
  /** When the last full message went out. */
  lastFull: number
  /** Times of the status changes within the flap window. */
  changes: number[]
}

export type RepeatDecision =
  | { kind: 'full' }
  | { kind: 'still'; count: number; since: number }
  | { kind: 'suppress'; count: number }
  | { kind: 'flapping'; changes: number; minutes: number }

function firingSet(body: Json): string {
  const ids = (body.alerts as Json[]).filter((a) => a && a.status !== 'resolved').map((a) => str(a.fingerprint) || JSON.stringify(a.labels ?? {}))
  return createHash('sha256').update(JSON.stringify(ids.sort())).digest('hex').slice(0, 32)
}

/**
 * Decides what a notification of an alert group becomes, and records it; the read-modify-write of the group's state
 * runs under the plugin's per-key lock. A resolve always goes out in full.
 */
export async function repeatDecision(store: PluginStore, body: Json, config: RepeatConfig, now: number): Promise<RepeatDecision> {
  const groupKey = str(body.groupKey) || JSON.stringify(body.groupLabels ?? {})
  const key = `repeat:${createHash('sha256').update(groupKey).digest('hex').slice(0, 40)}`
  const status: GroupState['status'] = body.status === 'resolved' ? 'resolved' : 'firing'
  return serialized(key, async () => {
    const previous = await store.get<GroupState>(key)
    const set = firingSet(body)
    const changed = previous?.status !== status
    const changes = [...(previous?.changes ?? []).filter((t) => now - t < config.flapWindow), ...(changed ? [now] : [])].slice(-50)
    const episode = status === 'firing' && previous?.status === 'firing'
    const state: GroupState = {
      status,
      firingSet: set,
      since: episode ? previous!.since : now,
      count: episode ? previous!.count + 1 : 1,
      lastFull: previous?.lastFull ?? 0,
      changes,
    }
    let decision: RepeatDecision = { kind: 'full' }
    if (config.mode !== 'off' && status === 'firing' && changed && changes.length >= config.flapChanges) {
      decision = { kind: 'flapping', changes: changes.length, minutes: Math.max(1, Math.ceil((now - changes[0]!) / 60_000)) }
    } else if (episode && config.mode !== 'off' && previous!.firingSet === set && now - previous!.lastFull < config.window) {
      decision = config.mode === 'suppress' ? { kind: 'suppress', count: state.count } : { kind: 'still', count: state.count, since: state.since }
    }
    if (decision.kind === 'full') state.lastFull = now
    await store.set(key, state)
    return decision
  })
}

/** The short message of a repeat or of flapping: the group's headline words replaced by one line; source, level and link kept. */
export function repeatMessage(decision: Extract<RepeatDecision, { kind: 'still' | 'flapping' }>, full: Message, locale: Locale, timeZone: string): Message {
  const w = new Words(locale)
  const title =
    decision.kind === 'still'
      ? w.t('alert.stillFiring', { n: decision.count, time: formatTime(decision.since, timeZone)?.slice(11, 16) })
      : w.t('alert.flapping', { n: decision.changes, min: decision.minutes })
  const message: Message = { title, icon: '🔁', text: '' }
  for (const key of ['source', 'link', 'level'] as const) if (full[key] !== undefined) (message as unknown as Record<string, unknown>)[key] = full[key]
  return message
}

/** Forgets groups whose last notification is older than the window and the flap window (one bounded batch per call). */
export async function pruneRepeats(store: PluginStore, config: RepeatConfig, now: number): Promise<void> {
  const keep = Math.max(config.window, config.flapWindow)
  for (const { key, value } of (await store.list<GroupState>('repeat:')).slice(0, 1000)) {
    const last = Math.max(value?.lastFull ?? 0, ...(value?.changes ?? [0]))
    if (now - last >= keep) await store.delete(key)
  }
}
