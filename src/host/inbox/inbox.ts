// The durable inbox of async webhooks: runs stored deliveries' handlers, retries failures with backoff, resumes after restarts.
import type { IncomingHttpHeaders } from 'node:http'
import type { Logger } from '../../util/logger.js'
import { newId } from '../../util/ids.js'
import type { DeliveryInsert, DeliveryRow, Storage, WriteOp } from '../../storage/types.js'
import type { HostEvents } from '../events.js'
import { describeError, executeHandler, handlerMark, isRetryable } from '../ingress/execute.js'
import { WebhookRequest } from '../ingress/request.js'
import type { WebhookRoute } from '../ingress/routes.js'
import type { Outbox } from '../outbox/outbox.js'
import { backoffDelay } from '../work/backoff.js'
import { WorkQueue, type RunOutcome } from '../work/queue.js'
import { isOrderingKey } from './ordering.js'

export interface InboxItem {
  row: DeliveryInsert | DeliveryRow
  /** The request's own headers, while it is in memory; after a restart the stored (redacted) ones are used. */
  headers?: IncomingHttpHeaders
  params?: Record<string, string>
  url?: string
  /** True when the body was dropped from memory to bound it; it is read from storage before the run. */
  light?: boolean
  /** The delivery's sequence in storage (acknowledgement order), when the row does not carry it. */
  seq?: number
}

export interface InboxSettings {
  maxAttempts: number
  backoffBase: number
  backoffMax: number
  concurrency: number
  handlerTimeout: number
  /** Items kept with their body in memory; more wait with the body in storage only. */
  memoryItems?: number
  /** Body bytes of waiting deliveries kept in memory; beyond, new ones wait with the body in storage only. */
  memoryBytes?: number
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
  /** True while webhooks are being acknowledged: handlers then run one at a time, so that the acks go first. */
  busy?: () => boolean
  /**
   * Ms before the first attempt of an ordered delivery may run (0: now): a cluster waits for the earlier ones of its
   * key on other processes; `committing` are this process's, whose outcome is on its way to storage already.
   */
  inOrder?: (row: DeliveryInsert | DeliveryRow, committing: string[]) => number | Promise<number>
}

const MEMORY_ITEMS = 1000
const MEMORY_BYTES = 32 * 1024 * 1024

export class Inbox {
  private readonly queue: WorkQueue<InboxItem>
  private readonly now: () => number
  /** Per ordering key, this process's deliveries whose outcome is being committed (ahead of any later one's). */
  private readonly committing = new Map<string, Set<string>>()

  constructor(private readonly deps: InboxDeps) {
    this.now = deps.now ?? Date.now
    this.queue = new WorkQueue<InboxItem>({
      name: 'inbox',
      logger: deps.logger,
      now: this.now,
      concurrency: deps.settings.concurrency,
      weigh: (item) => item.row.bodySize ?? 0,
      yieldTo: deps.busy,
      // Storage refused the outcome: the delivery is still queued in storage; it is tried again shortly.
      retryAfterError: 5000,
      inOrder: isOrderingKey,
      run: (item, release) => this.run(item, release),
    })
  }

  /** Set once stop() began: no delivery starts from then on. */
  private get stopped(): boolean {
    return this.queue.isStopped
  }

  /** Deliveries accepted and not finished: waiting, retrying or running. */
  get backlog(): number {
    return this.queue.size
  }

  /** Body bytes of the deliveries accepted and not finished (in memory or in storage only). */
  get backlogBytes(): number {
    return this.queue.weight
  }

  enqueue(item: InboxItem): void {
    if (this.full() && item.row.body) {
      item = { row: { ...item.row, body: null }, params: item.params, url: item.url, light: true, seq: item.seq }
    }
    // Only a first attempt waits for its turn: a delivery being retried does not hold back the later ones of its key.
    const { row } = item
    const kind = row.orderingKey && !row.attempts ? row.orderingKey : row.plugin
    this.queue.add(row.id, kind, item, row.nextAttemptAt ?? 0, item.seq ?? ('seq' in row ? row.seq : undefined))
  }

  /** Resumes every unfinished async delivery found in storage (after a restart or a crash). */
  async recover(): Promise<number> {
    let after = 0
    let count = 0
    for (;;) {
      const rows = await this.deps.storage.unfinishedDeliveries(500, after)
      if (rows.length === 0) break
      for (const row of rows) {
        if (this.full()) row.body = null
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

  /** Memory is bounded by count and bytes: beyond either, bodies wait in storage only and are read again before their run. */
  private full(): boolean {
    const { memoryItems = MEMORY_ITEMS, memoryBytes = MEMORY_BYTES } = this.deps.settings
    return this.queue.readyCount >= memoryItems || this.queue.weight >= memoryBytes
  }

  stop(timeoutMs = 5000): Promise<void> {
    return this.queue.stop(timeoutMs)
  }

  /** Runs now every waiting retry that is due by the injected clock (a test clock that jumped ahead calls this). */
  wake(): void {
    this.queue.wake()
  }

  private async run(item: InboxItem, release: () => void): Promise<RunOutcome<InboxItem>> {
    let row = item.row
    if (item.light || !row.body) {
      const stored = await this.deps.storage.getDelivery(row.id)
      if (!stored) return
      row = stored
    }
    const attempt = (row.attempts ?? 0) + 1
    const key = attempt === 1 ? row.orderingKey : null
    if (key && this.deps.inOrder) {
      const wait = await this.deps.inOrder(row, [...(this.committing.get(key) ?? [])])
      if (wait > 0) return { at: this.now() + wait, keepTurn: true }
    }
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
      await this.commitInOrder(key, row.id, unit)
      this.deps.outbox.enqueue(execution.sends)
      this.emit(row, 'done', execution.answer.status, finishedAt - row.receivedAt)
      return
    }
    const maxAttempts = match.route.options.maxAttempts ?? this.deps.settings.maxAttempts
    return this.settle(item, row, attempt, execution.answer.status, describeError(execution.error ?? `status ${execution.answer.status}`), isRetryable(execution), maxAttempts)
  }

  /** Writes a delivery's outcome; while it commits, later deliveries of its key on this process need not wait for it. */
  private async commitInOrder(key: string | null | undefined, id: string, unit: WriteOp[]): Promise<void> {
    if (!key) return void (await this.deps.storage.write(unit))
    let ids = this.committing.get(key)
    if (!ids) this.committing.set(key, (ids = new Set()))
    ids.add(id)
    try {
      await this.deps.storage.write(unit)
    } finally {
      ids.delete(id)
      if (ids.size === 0 && this.committing.get(key) === ids) this.committing.delete(key)
    }
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
  ): Promise<RunOutcome<InboxItem>> {
    const now = this.now()
    if (this.stopped) return
    if (retryable && attempt < maxAttempts) {
      const nextAttemptAt = now + backoffDelay(attempt, this.deps.settings.backoffBase, this.deps.settings.backoffMax)
      await this.deps.storage.write([{ op: 'delivery.update', id: row.id, patch: { attempts: attempt, nextAttemptAt, error, responseStatus } }])
      this.deps.logger.warn({ deliveryId: row.id, plugin: row.plugin, attempt, err: error }, 'async handler failed; will retry')
      return { at: nextAttemptAt, item: { ...item, row: { ...row, attempts: attempt, nextAttemptAt }, light: false } }
    }
    await this.deps.storage.write([
      { op: 'delivery.update', id: row.id, patch: { status: 'failed', attempts: attempt, error, responseStatus, nextAttemptAt: null, finishedAt: now, durationMs: now - row.receivedAt } },
    ])
    this.deps.logger.error({ deliveryId: row.id, plugin: row.plugin, attempts: attempt, err: error }, 'async delivery failed for good')
    this.emit(row, 'failed', responseStatus ?? null, now - row.receivedAt)
  }

  private emit(row: DeliveryInsert | DeliveryRow, status: 'done' | 'failed', responseStatus: number | null, durationMs: number): void {
    this.deps.events.emit('delivery', { id: row.id, plugin: row.plugin, path: row.path, method: row.method, status, responseStatus, receivedAt: row.receivedAt, durationMs })
  }
}
