// Sends whose answer was lost (frame written, link closed or call timed out): before one is repeated, the chat's history says whether it landed.
import type { Logger } from '../../util/logger.js'
import type { OneBotAnswer } from './events.js'

/** What a message says, in a form the implementation's history gives back the same way it was sent. */
export interface Fingerprint {
  text: string
  ats: string[]
  reply?: string
  images: number
}

interface Segment {
  type?: unknown
  data?: Record<string, unknown> | null
}

/** An uncertain part: where it went, when the first uncertain attempt began (wall clock, ms), what it said. */
interface Uncertain {
  group: boolean
  target: number
  since: number
  print: Fingerprint
}

export type Call = (action: string, params: unknown, signal: AbortSignal) => Promise<{ body: OneBotAnswer }>

export type Settled = { landed: true; platformId?: string } | { landed: false; since: number }

// Bounds: the record lives in memory only (a restart of hookcat forgets it: at-least-once then), oldest dropped first.
const MAX_RECORDS = 2000
const MAX_KNOWN = 2000
// The implementation's clock and ours may differ a little; `time` in the history is whole seconds.
const SKEW_SECONDS = 5
// How far back the history is read: NapCat and Lagrange take count; go-cqhttp always answers about 20.
const HISTORY_COUNT = 50
// 1404: NapCat and go-cqhttp for an unknown action; 404: Lagrange.
const UNSUPPORTED = new Set([1404, 404])

const unescapeCq = (s: string) => s.replace(/&#91;/g, '[').replace(/&#93;/g, ']').replace(/&#44;/g, ',').replace(/&amp;/g, '&')

/** CQ-code string (messagePostFormat: string, or raw_message) → segments. */
export function parseCq(message: string): Segment[] {
  const out: Segment[] = []
  const code = /\[CQ:([A-Za-z_]+)((?:,[^\]]*)?)\]/g
  let last = 0
  for (let m = code.exec(message); m; m = code.exec(message)) {
    if (m.index > last) out.push({ type: 'text', data: { text: unescapeCq(message.slice(last, m.index)) } })
    const data: Record<string, unknown> = {}
    for (const pair of m[2].split(',').slice(1)) {
      const eq = pair.indexOf('=')
      if (eq > 0) data[pair.slice(0, eq)] = unescapeCq(pair.slice(eq + 1))
    }
    out.push({ type: m[1], data })
    last = code.lastIndex
  }
  if (last < message.length) out.push({ type: 'text', data: { text: unescapeCq(message.slice(last)) } })
  return out
}

/** Text with whitespace collapsed (QQ turns \r into \n, trims), @ targets, the quoted message, the number of images. */
export function fingerprint(segments: readonly Segment[]): Fingerprint {
  let text = ''
  const ats: string[] = []
  let reply: string | undefined
  let images = 0
  for (const s of segments.slice(0, 500)) {
    const data = s?.data ?? {}
    if (s?.type === 'text' && typeof data.text === 'string') text += data.text
    else if (s?.type === 'at' && data.qq !== undefined) ats.push(String(data.qq))
    else if (s?.type === 'reply' && data.id !== undefined) reply ??= String(data.id)
    else if (s?.type === 'image') images++
  }
  return { text: text.replace(/\s+/g, ' ').trim(), ats, ...(reply === undefined ? {} : { reply }), images }
}

/**
 * Whether a history entry says what was sent. A quote the history lacks is accepted: an implementation that cannot
 * resolve the quoted message leaves the reply segment out, and the text must still match exactly.
 */
export function samePrint(sent: Fingerprint, seen: Fingerprint): boolean {
  if (sent.text !== seen.text || sent.images !== seen.images || sent.ats.join(',') !== seen.ats.join(',')) return false
  return seen.reply === undefined || seen.reply === sent.reply
}

interface HistoryEntry {
  message_id?: unknown
  user_id?: unknown
  time?: unknown
  sender?: { user_id?: unknown } | null
  message?: unknown
  raw_message?: unknown
}

const segmentsOf = (m: HistoryEntry): Segment[] =>
  Array.isArray(m.message) ? (m.message as Segment[]) : typeof m.message === 'string' ? parseCq(m.message) : typeof m.raw_message === 'string' ? parseCq(m.raw_message) : []

export class UncertainSends {
  private readonly records = new Map<string, Uncertain>()
  /** `<group|private>:<target>:<platform id>` of messages this instance sent or confirmed: never taken for another part. */
  private readonly known = new Set<string>()
  private readonly warned = new Set<string>()

  constructor(private readonly deps: { call: Call; selfId: (signal: AbortSignal) => Promise<string | undefined>; logger: Logger }) {}

  /** A send whose answer was lost. `since` is kept from an earlier uncertain attempt of the same part. */
  remember(key: string, record: Uncertain): void {
    this.records.delete(key)
    this.records.set(key, record)
    while (this.records.size > MAX_RECORDS) this.records.delete(this.records.keys().next().value!)
  }

  /** A message the implementation confirmed (its answer, or the history): no other uncertain part may claim it. */
  sent(group: boolean, target: number, platformId: unknown): void {
    if (platformId === undefined || platformId === null) return
    this.known.add(`${group ? 'group' : 'private'}:${target}:${String(platformId)}`)
    while (this.known.size > MAX_KNOWN) this.known.delete(this.known.values().next().value!)
  }

  /**
   * Before a part is sent again: undefined when its last attempt was certain; landed when the history shows it; not
   * landed (send it) when the history lacks it or cannot tell. Throws, keeping the record, when the link is down again.
   */
  async settle(key: string, signal: AbortSignal): Promise<Settled | undefined> {
    const record = this.records.get(key)
    if (!record) return undefined
    const selfId = await this.deps.selfId(signal)
    const action = record.group ? 'get_group_msg_history' : 'get_friend_msg_history'
    const params = record.group ? { group_id: record.target, count: HISTORY_COUNT } : { user_id: record.target, count: HISTORY_COUNT }
    const { body } = await this.deps.call(action, params, signal)
    this.records.delete(key)
    const messages = (body.data as { messages?: unknown } | null | undefined)?.messages
    if (body.retcode !== 0 || !Array.isArray(messages) || !selfId) {
      const unsupported = UNSUPPORTED.has(Number(body.retcode))
      this.warnOnce(unsupported ? 'unsupported' : 'failed', { action, retcode: body.retcode ?? null, selfIdKnown: !!selfId })
      return { landed: false, since: record.since }
    }
    const from = Math.floor(record.since / 1000) - SKEW_SECONDS
    const chat = `${record.group ? 'group' : 'private'}:${record.target}`
    let reachesBack = false
    const found = (messages as HistoryEntry[])
      .filter((m): m is HistoryEntry => !!m && typeof m === 'object')
      .filter((m) => {
        const time = Number(m.time)
        if (Number.isFinite(time) && time < from) reachesBack = true
        const sender = String(m.sender?.user_id ?? m.user_id ?? '')
        return sender === selfId && !(Number.isFinite(time) && time < from) && !this.known.has(`${chat}:${String(m.message_id)}`)
      })
      .sort((a, b) => Number(a.time) - Number(b.time))
      .find((m) => samePrint(record.print, fingerprint(segmentsOf(m))))
    if (found) {
      const platformId = found.message_id === undefined ? undefined : String(found.message_id)
      this.sent(record.group, record.target, platformId)
      this.deps.logger.info({ key, platformId }, 'OneBot send confirmed from the chat history after its answer was lost; not sent again')
      return { landed: true, platformId }
    }
    // Every entry is newer than the attempt: a busy chat may have pushed the message out of the window read.
    if (!reachesBack && messages.length >= 20) this.warnOnce('window', { action, read: messages.length })
    return { landed: false, since: record.since }
  }

  private warnOnce(reason: 'unsupported' | 'failed' | 'window', detail: Record<string, unknown>): void {
    const message = 'OneBot history cannot confirm a send whose answer was lost: it is sent again and may arrive twice with this implementation'
    if (this.warned.has(reason)) return this.deps.logger.debug({ reason, ...detail }, message)
    this.warned.add(reason)
    this.deps.logger.warn({ reason, ...detail }, message)
  }
}
