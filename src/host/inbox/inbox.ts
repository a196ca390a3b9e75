// The durable inbox of async webhooks: runs stored deliveries' handlers, retries failures with backoff, resumes after restarts.
import type { IncomingHttpHeaders } from 'node:http'
import type { Logger } from '../../util/logger.js'
import { newId } from '../../util/ids.js'
import type { DeliveryInsert, DeliveryRow, Storage, WriteOp } from '../../storage/types.js'
import type { HostEvents } from '../events.js'
import { describeError, executeHandler, handlerMark, isRetryable } from '../ingress/execute.js'
import { WebhookRequest } from '../ingress/request.js'
import type { WebhookRoute } from '../ingress/routes.js'
import { backoffDelay, type Outbox } from '../outbox/outbox.js'

export interface InboxItem {
  row: DeliveryInsert | DeliveryRow
  /** The request's own headers, while it is in memory; after a restart the stored (redacted) ones are used. */
  headers?: IncomingHttpHeaders
  params?: Record<string, string>
  url?: string
  /** True when the body was dropped from memory to bound it; it is read from storage before the run. */
  light?: boolean
}

export interface InboxSettings {
  maxAttempts: number
  backoffBase: number
  backoffMax: number
  concurrency: number
  handlerTimeout: number
  /** Items kept with their body in memory; more wait with the body in storage only. */
  memoryItems?: number
}

export interface InboxDeps {
  storage: Storage
  outbox: Outbox
  events: HostEvents
  logger: Logger
  settings: InboxSettings
  findRoute: (plugin: string, path: string) => { route: WebhookRoute; params: Record<string, string> } | undefined
  baseUrl: () => string
  now?: () => number
}

export class Inbox {
  private ready: InboxItem[] = []
  private readonly waiting = new Map<string, { timer: NodeJS.Timeout; item: InboxItem }>()
  private readonly known = new Set<string>()
  private readonly runs = new Set<Promise<void>>()
  private running = 0
  private stopped = false
  private readonly now: () => number

  constructor(private readonly deps: InboxDeps) {
    this.now = deps.now ?? Date.now
  }

  /** Deliveries accepted and not finished: waiting, retrying or running. */
  get backlog(): number {
    return this.known.size
  }

  enqueue(item: InboxItem): void {
    if (this.stopped || this.known.has(item.row.id)) return
    this.known.add(item.row.id)
    const memoryItems = this.deps.settings.memoryItems ?? 1000
    if (this.ready.length >= memoryItems && item.row.body) {
      item = { row: { ...item.row, body: null }, params: item.params, url: item.url, light: true }
    }
    const wait = (item.row.nextAttemptAt ?? 0) - this.now()
    if (wait > 0) this.later(item, wait)
    else this.ready.push(item)
    this.drain()
  }

  /** Resumes every unfinished async delivery found in storage (after a restart or a crash). */
  async recover(): Promise<number> {
    let after = 0
    let count = 0
    for (;;) {
      const rows = await this.deps.storage.unfinishedDeliveries(500, after)
      if (rows.length === 0) break
      for (const row of rows) {
        if (this.ready.length >= (this.deps.settings.memoryItems ?? 1000)) row.body = null
        this.enqueue({ row, light: row.body === null })
      }
      count += rows.length
      after = rows[rows.length - 1].seq
    }
    return count
  }

  /** Runs a stored delivery again as a new one (replay). */
  async replay(original: DeliveryRow): Promise<DeliveryInsert> {
    const row: DeliveryInsert = {
      ...original,
      id: newId(),
      mode: 'async',
      status: 'queued',
      dedupKey: null,
      responseStatus: null,
      responseBody: null,
      error: null,
      attempts: 0,
      nextAttemptAt: null,
      receivedAt: this.now(),
      finishedAt: null,
      durationMs: null,
      outcome: null,
      outcomeReason: null,
    }
    delete (row as Partial<DeliveryRow>).seq
    delete (row as Partial<DeliveryRow>).duplicates
    await this.deps.storage.write([{ op: 'delivery.insert', delivery: row }])
    this.enqueue({ row })
    return row
  }

  async stop(timeoutMs = 5000): Promise<void> {
    this.stopped = true
    for (const { timer } of this.waiting.values()) clearTimeout(timer)
    this.waiting.clear()
    await Promise.race([Promise.allSettled([...this.runs]), new Promise((r) => setTimeout(r, timeoutMs).unref())])
  }

  /** Runs now every waiting retry that is due by the injected clock (a test clock that jumped ahead calls this). */
  wake(): void {
    const now = this.now()
    for (const [id, { timer, item }] of this.waiting) {
      if ((item.row.nextAttemptAt ?? 0) > now) continue
      clearTimeout(timer)
      this.waiting.delete(id)
      this.ready.push(item)
    }
    this.drain()
  }

  private later(item: InboxItem, delay: number): void {
    if (delay <= 0 && !this.stopped) {
      this.ready.push(item)
      return this.drain()
    }
    const timer = setTimeout(() => {
      this.waiting.delete(item.row.id)
      // The injected clock decides when a retry is due; a clock that stands still keeps it waiting.
      const left = (item.row.nextAttemptAt ?? 0) - this.now()
      if (left > 0 && !this.stopped) return this.later(item, left)
      this.ready.push(item)
      this.drain()
    }, delay)
    timer.unref()
    this.waiting.set(item.row.id, { timer, item })
  }

  private drain(): void {
    while (!this.stopped && this.running < this.deps.settings.concurrency && this.ready.length > 0) {
      const item = this.ready.shift()!
      this.running++
      // The slot bounds handlers running at once; it is freed as soon as the handler has finished, while its result
      // commits, so that the inbox does not wait one commit (fsync) per slot before taking the next delivery.
      let released = false
      const release = () => {
        if (released) return
        released = true
        this.running--
        this.drain()
      }
      const run = this.run(item, release)
        .catch((error) => {
          if (/lease lost/.test((error as Error)?.message ?? '')) {
            // Another process took this delivery over (this one stalled past its lease): it is theirs now.
            this.known.delete(item.row.id)
            this.deps.logger.warn({ deliveryId: item.row.id }, 'delivery taken over by another process')
            return
          }
          // Storage refused the outcome: the delivery is still queued in storage; try it again shortly.
          this.deps.logger.error({ err: error, deliveryId: item.row.id }, 'inbox run failed; will try again')
          if (!this.stopped) this.later(item, 5000)
        })
        .finally(() => {
          this.runs.delete(run)
          release()
        })
      this.runs.add(run)
    }
  }

  private async run(item: InboxItem, release: () => void = () => undefined): Promise<void> {
    let row = item.row
    if (item.light || !row.body) {
      const stored = await this.deps.storage.getDelivery(row.id)
      if (!stored) {
        this.known.delete(row.id)
        return
      }
      row = stored
    }
    const attempt = (row.attempts ?? 0) + 1
    const match = this.deps.findRoute(row.plugin, row.path)
    if (!match) {
      return this.settle(item, row, attempt, undefined, `plugin "${row.plugin}" is not loaded or has no webhook at ${row.path}`, true)
    }
    const request = new WebhookRequest({
      method: row.method,
      url: item.url ?? `${this.deps.baseUrl()}/api/plugin/${row.plugin}/webhook${row.path}${row.query ? `?${row.query}` : ''}`,
      path: row.path,
      params: item.params ?? match.params,
      headers: item.headers ?? row.headers,
      raw: row.body ?? Buffer.alloc(0),
      clientAddress: row.clientIp,
      deliveryId: row.id,
      senderDeliveryId: row.dedupKey ?? undefined,
      attempt,
    })
    const timeout = match.route.options.timeout ?? this.deps.settings.handlerTimeout
    const execution = await executeHandler(match.route, request, timeout, this.deps.logger)
    release()
    const finishedAt = this.now()
    const failed = execution.error !== undefined || execution.answer.status >= 500
    if (!failed) {
      const unit: WriteOp[] = [
        {
          op: 'delivery.update',
          id: row.id,
          patch: {
            status: 'done',
            attempts: attempt,
            responseStatus: execution.answer.status,
            responseBody: execution.answer.body.subarray(0, 64 * 1024).toString('utf8'),
            error: null,
            nextAttemptAt: null,
            finishedAt,
            durationMs: finishedAt - row.receivedAt,
            ...handlerMark(execution),
          },
        },
      ]
      if (execution.sends.length) unit.push({ op: 'outbox.insert', messages: execution.sends })
      await this.deps.storage.write(unit)
      this.deps.outbox.enqueue(execution.sends)
      this.known.delete(row.id)
      this.emit(row, 'done', execution.answer.status, finishedAt - row.receivedAt)
      return
    }
    const maxAttempts = match.route.options.maxAttempts ?? this.deps.settings.maxAttempts
    await this.settle(item, row, attempt, execution.answer.status, describeError(execution.error ?? `status ${execution.answer.status}`), isRetryable(execution), maxAttempts)
  }

  /** Records a failed attempt: schedules the next one, or keeps the delivery as failed. */
  private async settle(
    item: InboxItem,
    row: DeliveryInsert | DeliveryRow,
    attempt: number,
    responseStatus: number | undefined,
    error: string,
    retryable: boolean,
    maxAttempts = this.deps.settings.maxAttempts,
  ): Promise<void> {
    const now = this.now()
    if (retryable && attempt < maxAttempts && !this.stopped) {
      const nextAttemptAt = now + backoffDelay(attempt, this.deps.settings.backoffBase, this.deps.settings.backoffMax)
      await this.deps.storage.write([{ op: 'delivery.update', id: row.id, patch: { attempts: attempt, nextAttemptAt, error, responseStatus } }])
      this.deps.logger.warn({ deliveryId: row.id, plugin: row.plugin, attempt, err: error }, 'async handler failed; will retry')
      const next = { ...item, row: { ...row, attempts: attempt, nextAttemptAt }, light: false }
      // Measured again after the write: a test clock may have moved meanwhile, and a retry already due runs now.
      this.later(next, nextAttemptAt - this.now())
      return
    }
    if (this.stopped) return
    await this.deps.storage.write([
      { op: 'delivery.update', id: row.id, patch: { status: 'failed', attempts: attempt, error, responseStatus, nextAttemptAt: null, finishedAt: now, durationMs: now - row.receivedAt } },
    ])
    this.known.delete(row.id)
    this.deps.logger.error({ deliveryId: row.id, plugin: row.plugin, attempts: attempt, err: error }, 'async delivery failed for good')
    this.emit(row, 'failed', responseStatus ?? null, now - row.receivedAt)
  }

  private emit(row: DeliveryInsert | DeliveryRow, status: 'done' | 'failed', responseStatus: number | null, durationMs: number): void {
    this.deps.events.emit('delivery', { id: row.id, plugin: row.plugin, path: row.path, method: row.method, status, responseStatus, receivedAt: row.receivedAt, durationMs })
  }
}
