// The webhook hot path: route, read, verify, dedup, store (group commit), then answer or hand to the inbox.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Logger } from '../../util/logger.js'
import { HookcatError, isHookcatError } from '../../util/errors.js'
import { newId } from '../../util/ids.js'
import { redactHeaders } from '../../util/redact.js'
import type { DeliveryInsert, DeliveryRow, Storage } from '../../storage/types.js'
import type { HostEvents } from '../events.js'
import type { Outbox } from '../outbox/outbox.js'
import type { Inbox } from '../inbox/inbox.js'
import { orderingKeyOf, type OrderingKeyOption } from '../inbox/ordering.js'
import type { VerifyResult } from '../verify/types.js'
import { BodyBudget } from './budget.js'
import { declaredLength, readBody } from './body.js'
import { RefusalCounter } from './refusals.js'
import { beginVerification } from './verification.js'
import { findDedupKey } from './dedup.js'
import { checkHeaderCount, checkRateLimit } from './limits.js'
import { redactQuery } from '../verify/secrets.js'
import { describeError, executeHandler, handlerMark, type Execution } from './execute.js'
import { deliveryEvent } from './event-type.js'
import { parseWebhookUrl } from './path.js'
import { errorAnswer, type HttpAnswer } from './reply.js'
import { WebhookRequest } from './request.js'
import type { RouteTable, WebhookRoute } from './routes.js'

export interface PluginSlot {
  state: 'loaded' | 'disabled' | 'failed'
  routes: RouteTable
  config: Record<string, unknown>
}

export interface IngressSettings {
  bodyLimit: number
  storeBodyLimit: number
  handlerTimeout: number
  maxInFlight: number
  maxBacklog: number
  /** Body bytes of queued async deliveries beyond which new ones are refused (503). */
  maxBacklogBytes?: number
  trustProxy: boolean
  /** Bytes all not-yet-verified request bodies may hold at once (server.unverifiedBodyBudget). */
  unverifiedBodyBudget: number
  /** Not-yet-verified bodies one client address may send at once (server.maxUnverifiedPerClient). */
  maxUnverifiedPerClient: number
  /** Base of absolute request URLs given to handlers. */
  baseUrl: () => string
  adminToken: () => string
}

export interface IngressDeps {
  lookup: (plugin: string) => PluginSlot | undefined
  storage: Storage
  inbox: Inbox
  outbox: Outbox
  events: HostEvents
  logger: Logger
  settings: IngressSettings
  now?: () => number
  onAnswered?: (plugin: string, status: number, seconds: number) => void
  onRefused?: (plugin: string, route: string, reason: string) => void
}

const RESPONSE_KEEP = 64 * 1024
/** Refusals that shed load: counted, never stored (storing them would add load exactly when there is too much). */
const SHED = new Set(['OVERLOADED', 'RATE_LIMITED', 'UNVERIFIED_BODIES_OVER_BUDGET'])
const JSON_TYPE = 'application/json; charset=utf-8'

function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for']
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim()
    if (first) return first
  }
  return req.socket.remoteAddress ?? ''
}

function keptResponse(body: Buffer): string {
  return body.length <= RESPONSE_KEEP ? body.toString('utf8') : body.subarray(0, RESPONSE_KEEP).toString('utf8')
}

export class Ingress {
  private inFlight = 0
  /** Async deliveries being stored, not yet in the inbox's backlog. */
  private readonly accepting = { count: 0, bytes: 0 }
  private readonly now: () => number
  private readonly budget: BodyBudget
  /** Counters (and the sampling) of refused requests; read by /metrics, the admin API and the CLI. */
  readonly refusals: RefusalCounter

  constructor(private readonly deps: IngressDeps) {
    this.now = deps.now ?? Date.now
    this.budget = new BodyBudget({ bytes: deps.settings.unverifiedBodyBudget, perClient: deps.settings.maxUnverifiedPerClient })
    this.refusals = new RefusalCounter({ storage: deps.storage, logger: deps.logger, now: this.now, onRefused: deps.onRefused })
  }

  /** Bytes held now by request bodies whose sender is not yet verified. */
  get unverifiedBytes(): number {
    return this.budget.bytesHeld
  }

  get requestsInFlight(): number {
    return this.inFlight
  }

  /** Handles a request whose URL starts with /api/plugin/. Never throws. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now()
    let plugin = '-'
    let answer: HttpAnswer
    this.inFlight++
    try {
      answer = await this.process(req, (name) => (plugin = name))
    } catch (error) {
      if (!isHookcatError(error)) this.deps.logger.error({ err: error, url: req.url?.slice(0, 200) }, 'ingress failed')
      answer = errorAnswer(isHookcatError(error) ? error : new HookcatError('INTERNAL'))
    } finally {
      this.inFlight--
    }
    this.send(req, res, answer)
    this.deps.onAnswered?.(plugin, answer.status, (performance.now() - started) / 1000)
  }

  private send(req: IncomingMessage, res: ServerResponse, answer: HttpAnswer): void {
    if (res.headersSent || res.destroyed) return
    // A body we refused to read must not be parsed as the next request on this connection.
    if (!req.complete) answer.headers.connection = 'close'
    answer.headers['content-length'] = String(answer.body.length)
    res.writeHead(answer.status, answer.headers)
    res.end(answer.body)
    if (!req.complete) req.resume()
  }

  private async process(req: IncomingMessage, named: (plugin: string) => void): Promise<HttpAnswer> {
    const address = parseWebhookUrl(req.url ?? '/')
    const slot = this.deps.lookup(address.plugin)
    if (!slot) throw new HookcatError('PLUGIN_NOT_FOUND', `No plugin named "${address.plugin}" is loaded`)
    named(address.plugin)
    if (slot.state === 'disabled') throw new HookcatError('PLUGIN_DISABLED', `The plugin "${address.plugin}" is disabled; enable it to receive webhooks`)
    if (slot.state === 'failed') throw new HookcatError('PLUGIN_LOAD_FAILED', `The plugin "${address.plugin}" failed to load; see the server log`)
    const match = slot.routes.match(address.path)
    if (!match) throw new HookcatError('WEBHOOK_NOT_FOUND', `The plugin "${address.plugin}" has no webhook at ${address.path.slice(0, 200)}`)
    const { route, params } = match
    const method = req.method ?? 'GET'
    const options = route.options
    const query = address.search.length > 1 ? address.search.slice(1) : ''
    const receivedAt = this.now()
    let client: string | undefined
    const clientOf = () => (client ??= clientAddress(req, this.deps.settings.trustProxy))
    let raw: Buffer | undefined
    let verified: VerifyResult | void = undefined
    let trusted = false
    let parsed: { value: unknown } | undefined
    const parseJson = (): unknown => {
      if (!parsed) {
        try {
          parsed = { value: JSON.parse(raw!.toString('utf8')) }
        } catch {
          throw new HookcatError('INVALID_JSON')
        }
      }
      return parsed.value
    }
    try {
      if (!route.methods.has(method)) throw new HookcatError('METHOD_NOT_ALLOWED', `This webhook accepts ${route.allow}`, { headers: { allow: route.allow } })
      if (this.inFlight > this.deps.settings.maxInFlight) throw new HookcatError('OVERLOADED', undefined, { headers: { 'retry-after': '1' } })
      checkHeaderCount(req)
      if (options.rateLimit) checkRateLimit(route, options.rateLimit, clientOf(), this.now())
      if (options.accepts) {
        const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
        if (!options.accepts.includes(type)) {
          throw new HookcatError('UNSUPPORTED_MEDIA_TYPE', `This webhook accepts ${options.accepts.join(', ')}, not "${type.slice(0, 100) || 'no content type'}"`)
        }
      }
      const limit = options.bodyLimit ?? this.deps.settings.bodyLimit
      const declared = declaredLength(req, limit)
      // Credentials in the head are checked, and signature headers parsed, before a byte of the body is read.
      const gate = beginVerification(route, slot.config, req, query, receivedAt, this.deps.settings.adminToken())
      // Until its sender is proven, a body is held against the unverified-body budget; one proven by its head is not.
      const hold = gate.provenByHead ? undefined : this.budget.open(clientOf(), declared)
      try {
        const streamed = gate.checks.filter((c) => c.update)
        const onChunk = hold || streamed.length ? (chunk: Buffer) => {
          hold?.take(chunk.length)
          for (const check of streamed) check.update!(chunk)
        } : undefined
        raw = await readBody(req, limit, onChunk)
        verified = gate.finish(raw)
      } finally {
        hold?.release()
      }
      trusted = gate.trusted
      if (options.requireJson) parseJson()
    } catch (error) {
      this.refuse(route, address.path, req, query, receivedAt, raw?.length ?? this.declaredSize(req), clientOf(), error)
      throw error
    }
    const id = newId()
    let dedupKey: string | undefined
    try {
      dedupKey = findDedupKey(req.headers, options.dedup, verified?.deliveryId, parseJson, trusted)
    } catch (error) {
      if (isHookcatError(error) && error.code === 'DELIVERY_ID_TOO_LONG') {
        this.refuse(route, address.path, req, query, receivedAt, raw.length, clientOf(), error)
        throw error
      }
      dedupKey = undefined
    }

    const record: DeliveryInsert = {
      id,
      plugin: route.plugin,
      route: route.path,
      path: address.path,
      method,
      headers: redactHeaders(req.headers),
      query: redactQuery(query),
      body: raw,
      bodySize: raw.length,
      clientIp: clientOf(),
      mode: options.mode ?? 'sync',
      status: options.mode === 'async' ? 'queued' : 'received',
      dedupKey: dedupKey ?? null,
      responseStatus: null,
      responseBody: null,
      error: null,
      nextAttemptAt: null,
      receivedAt,
      event: deliveryEvent(options.event, req.headers, parseJson, params),
    }
    if (record.mode === 'async') return this.accept(record, req.headers, this.deps.settings.baseUrl() + req.url, params, options.orderingKey)
    if (raw.length > this.deps.settings.storeBodyLimit) record.body = raw.subarray(0, this.deps.settings.storeBodyLimit)
    return this.runSync(record, route, req, raw, params)
  }

  /** Async mode: store, answer 202, and let the inbox run the handler. */
  private async accept(record: DeliveryInsert, headers: IncomingMessage['headers'], url: string, params: Record<string, string>, ordering?: OrderingKeyOption): Promise<HttpAnswer> {
    const { maxBacklog, maxBacklogBytes = Infinity } = this.deps.settings
    const { inbox } = this.deps
    // Deliveries being stored count too, so that a burst of concurrent requests cannot overshoot the bounds.
    const accepting = this.accepting
    if (inbox.backlog + accepting.count >= maxBacklog || inbox.backlogBytes + accepting.bytes + record.bodySize > maxBacklogBytes) {
      throw new HookcatError('OVERLOADED', 'The async backlog is full; retry later', { headers: { 'retry-after': '5' } })
    }
    accepting.count++
    accepting.bytes += record.bodySize
    record.orderingKey = orderingKeyOf(record.plugin, record.route, ordering, { headers, params })
    try {
      const [result] = await this.store([{ op: 'delivery.insert', delivery: record }])
      if (result.duplicate) return this.duplicateAnswer(result.duplicate)
      inbox.enqueue({ row: record, seq: result.seq, headers, params, url })
    } finally {
      accepting.count--
      accepting.bytes -= record.bodySize
    }
    this.emit(record, 202, null)
    return { status: 202, headers: { 'content-type': JSON_TYPE }, body: Buffer.from(`{"id":"${record.id}","status":"queued"}`) }
  }

  /**
   * Stores a delivery that did not come over HTTP (an inbound chat message) for an internal async route, through the
   * same path as an async webhook: stored, deduplicated by `dedupKey`, then run by the inbox with retries.
   */
  async inject(input: { plugin: string; path: string; body: Buffer; dedupKey: string; client: string }): Promise<{ id: string; duplicate: boolean }> {
    const headers = { 'content-type': 'application/json' }
    const record: DeliveryInsert = {
      id: newId(),
      plugin: input.plugin,
      route: input.path,
      path: input.path,
      method: 'POST',
      headers,
      query: '',
      body: input.body,
      bodySize: input.body.length,
      clientIp: input.client,
      mode: 'async',
      status: 'queued',
      dedupKey: input.dedupKey,
      responseStatus: null,
      responseBody: null,
      error: null,
      nextAttemptAt: null,
      receivedAt: this.now(),
    }
    const answer = await this.accept(record, headers, `${this.deps.settings.baseUrl()}/internal${input.path}`, {})
    return { id: answer.headers['hookcat-duplicate-of'] ?? record.id, duplicate: answer.headers['hookcat-duplicate-of'] !== undefined }
  }

  private async runSync(
    first: DeliveryInsert,
    route: WebhookRoute,
    req: IncomingMessage,
    raw: Buffer,
    params: Record<string, string>,
  ): Promise<HttpAnswer> {
    let record = first
    // With a sender's delivery id, the id is claimed before the handler runs, so that a concurrent duplicate waits out.
    let previousAttempts = 0
    if (record.dedupKey) {
      const [claim] = await this.store([{ op: 'delivery.insert', delivery: record }])
      const existing = claim.duplicate
      if (existing) {
        // A sync delivery that failed is run again when its sender redelivers it (GitHub's "Redeliver"); one that
        // succeeded, or is running, is answered from storage.
        if (existing.mode !== 'sync' || existing.status !== 'failed') return this.duplicateAnswer(existing)
        const [retry] = await this.store([{ op: 'delivery.reclaim', id: existing.id, receivedAt: record.receivedAt }])
        if (retry.changes !== 1) throw new HookcatError('DELIVERY_IN_PROGRESS', undefined, { headers: { 'retry-after': '1' } })
        record = { ...record, id: existing.id }
        previousAttempts = existing.attempts
      }
    }
    const request = new WebhookRequest({
      method: record.method,
      url: this.deps.settings.baseUrl() + req.url,
      path: record.path,
      params,
      headers: req.headers,
      raw,
      clientAddress: record.clientIp,
      deliveryId: record.id,
      senderDeliveryId: record.dedupKey ?? undefined,
    })
    const timeout = route.options.timeout ?? this.deps.settings.handlerTimeout
    const execution = await executeHandler(route, request, timeout, this.deps.logger)
    const finishedAt = this.now()
    const patch = this.outcome(execution, record.receivedAt, finishedAt)
    patch.attempts += previousAttempts
    const unit: Parameters<Storage['write']>[0] = record.dedupKey
      ? [{ op: 'delivery.update', id: record.id, patch }]
      : [{ op: 'delivery.insert', delivery: { ...record, ...patch } }]
    if (execution.sends.length) unit.push({ op: 'outbox.insert', messages: execution.sends })
    await this.store(unit)
    this.deps.outbox.enqueue(execution.sends)
    this.emit({ ...record, ...patch }, execution.answer.status, patch.durationMs ?? null)
    return execution.answer
  }

  private outcome(execution: Execution, receivedAt: number, finishedAt: number) {
    const status = execution.answer.status
    return {
      status: execution.error === undefined && status < 500 ? ('done' as const) : ('failed' as const),
      responseStatus: status,
      responseBody: keptResponse(execution.answer.body),
      error: execution.error === undefined ? null : describeError(execution.error),
      finishedAt,
      durationMs: finishedAt - receivedAt,
      attempts: 1,
      ...handlerMark(execution),
    }
  }

  private duplicateAnswer(existing: DeliveryRow): HttpAnswer {
    const headers: Record<string, string> = { 'content-type': JSON_TYPE, 'hookcat-duplicate-of': existing.id }
    this.deps.logger.info({ plugin: existing.plugin, path: existing.path, duplicateOf: existing.id, dedupKey: existing.dedupKey }, 'duplicate delivery: answered from storage, handler not run')
    this.deps.events.emit('delivery', {
      id: existing.id,
      plugin: existing.plugin,
      path: existing.path,
      method: existing.method,
      status: existing.status,
      responseStatus: existing.responseStatus,
      receivedAt: existing.receivedAt,
      durationMs: existing.durationMs,
      duplicate: true,
    })
    if (existing.mode === 'async') {
      return { status: 202, headers, body: Buffer.from(JSON.stringify({ id: existing.id, status: existing.status, duplicate: true })) }
    }
    if (existing.status === 'received') throw new HookcatError('DELIVERY_IN_PROGRESS', undefined, { headers: { 'retry-after': '1' } })
    return { status: existing.responseStatus ?? 200, headers, body: Buffer.from(existing.responseBody ?? '') }
  }

  private async store(unit: Parameters<Storage['write']>[0]) {
    try {
      return await this.deps.storage.write(unit)
    } catch (error) {
      this.deps.logger.error({ err: (error as Error).message }, 'could not store a delivery')
      throw new HookcatError('STORAGE_UNAVAILABLE', 'The delivery could not be stored; retry later', { headers: { 'retry-after': '5' } })
    }
  }

  private declaredSize(req: IncomingMessage): number {
    const size = Number(req.headers['content-length'])
    return Number.isSafeInteger(size) && size > 0 ? size : 0
  }

  /**
   * Counts a refused request; only a bounded sample per webhook and reason becomes a delivery row (and a log line), so
   * that a flood of refusals cannot fill the disk. Load shedding (503, 429) is counted and never stored.
   */
  private refuse(route: WebhookRoute, path: string, req: IncomingMessage, query: string, receivedAt: number, size: number, client: string, error: unknown): void {
    const status = isHookcatError(error) ? error.status : 500
    const reason = isHookcatError(error) ? error.code : 'INTERNAL'
    const sampled = this.refusals.note(route.plugin, route.path, reason, status)
    if (!sampled || SHED.has(reason)) return
    const id = newId()
    const record: DeliveryInsert = {
      id,
      plugin: route.plugin,
      route: route.path,
      path,
      method: req.method ?? 'GET',
      headers: redactHeaders(req.headers),
      query: redactQuery(query),
      // The body of a refused request is not kept: it is unauthenticated input.
      body: null,
      bodySize: size,
      clientIp: client,
      mode: route.options.mode ?? 'sync',
      status: 'rejected',
      dedupKey: null,
      responseStatus: status,
      responseBody: null,
      error: describeError(error),
      nextAttemptAt: null,
      receivedAt,
      finishedAt: receivedAt,
      durationMs: 0,
    }
    this.deps.logger.warn({ plugin: route.plugin, path, deliveryId: id, reason: describeError(error), sample: true }, 'webhook request refused')
    this.deps.storage.write([{ op: 'delivery.insert', delivery: record }]).then(
      () => this.emit(record, status, 0),
      (e: Error) => this.deps.logger.error({ err: e.message }, 'could not record a refused request'),
    )
  }

  private emit(record: DeliveryInsert, responseStatus: number, durationMs: number | null): void {
    if (this.deps.events.listenerCount('delivery') === 0) return
    this.deps.events.emit('delivery', {
      id: record.id,
      plugin: record.plugin,
      path: record.path,
      method: record.method,
      status: record.status,
      responseStatus,
      receivedAt: record.receivedAt,
      durationMs,
    })
  }
}
