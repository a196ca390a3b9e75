// Prometheus metrics of one host: webhook requests and latency, inbox backlog, outbox depth and send attempts.
import { Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { Storage } from '../storage/types.js'

export interface MetricSources {
  storage: Storage
  inboxBacklog: () => number
  requestsInFlight: () => number
  /** Messages waiting in the outbox's memory per adapter instance. */
  outboxDepth?: () => Map<string, number>
  /** Bytes held by request bodies not yet verified. */
  unverifiedBytes?: () => number
  /** Connection state of adapters with a live link (1 connected, 0 not), by adapter. */
  adapterConnected?: () => Map<string, number>
}

export class HostMetrics {
  readonly registry = new Registry()
  private readonly requests: Counter<'plugin' | 'status'>
  private readonly latency: Histogram<'plugin'>
  private readonly attempts: Counter<'adapter' | 'result'>
  private readonly sendLatency: Histogram<'adapter'>
  private readonly deadLetters: Counter<'adapter'>
  private readonly deliveryLatency: Histogram<'adapter'>
  private readonly refusals: Counter<'plugin' | 'route' | 'reason'>
  private readonly requestChildren = new Map<string, { inc: () => void }>()
  private readonly latencyChildren = new Map<string, { observe: (v: number) => void }>()

  constructor(sources: MetricSources) {
    const registers = [this.registry]
    this.requests = new Counter({ name: 'hookcat_webhook_requests_total', help: 'Webhook requests answered, by plugin and HTTP status', labelNames: ['plugin', 'status'], registers })
    this.latency = new Histogram({
      name: 'hookcat_webhook_request_duration_seconds',
      help: 'Time from request start to answer, by plugin',
      labelNames: ['plugin'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      registers,
    })
    this.attempts = new Counter({ name: 'hookcat_outbox_attempts_total', help: 'Attempts to deliver a chat message, by adapter and result', labelNames: ['adapter', 'result'], registers })
    this.sendLatency = new Histogram({
      name: 'hookcat_outbox_send_duration_seconds',
      help: 'Duration of one platform call, by adapter',
      labelNames: ['adapter'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15],
      registers,
    })
    this.deadLetters = new Counter({ name: 'hookcat_outbox_dead_letters_total', help: 'Messages that became dead letters, by adapter', labelNames: ['adapter'], registers })
    this.deliveryLatency = new Histogram({
      name: 'hookcat_outbox_delivery_seconds',
      help: 'Time from storing a message to its last part delivered (retries and rate-limit waits included), by adapter',
      labelNames: ['adapter'],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 1800, 7200],
      registers,
    })
    new Gauge({
      name: 'hookcat_adapter_connected',
      help: 'Whether an adapter with a live link (OneBot WebSocket) is connected: 1 or 0, by adapter',
      labelNames: ['adapter'],
      registers,
      collect() {
        for (const [adapter, n] of sources.adapterConnected?.() ?? []) this.set({ adapter }, n)
      },
    })
    new Gauge({
      name: 'hookcat_outbox_depth',
      help: 'Messages waiting to be delivered, by adapter (in this process)',
      labelNames: ['adapter'],
      registers,
      collect() {
        for (const [adapter, n] of sources.outboxDepth?.() ?? []) this.set({ adapter }, n)
      },
    })
    this.refusals = new Counter({
      name: 'hookcat_webhook_refusals_total',
      help: 'Webhook requests refused (bad signature, missing secret, too large, over budget, …), by plugin, route and reason (error code), in this process',
      labelNames: ['plugin', 'route', 'reason'],
      registers,
    })
    new Gauge({ name: 'hookcat_unverified_body_bytes', help: 'Bytes held by request bodies whose sender is not yet verified', registers, collect() { this.set(sources.unverifiedBytes?.() ?? 0) } })
    new Gauge({ name: 'hookcat_inbox_backlog', help: 'Async deliveries accepted and not yet handled', registers, collect() { this.set(sources.inboxBacklog()) } })
    new Gauge({ name: 'hookcat_requests_in_flight', help: 'Webhook requests being handled now', registers, collect() { this.set(sources.requestsInFlight()) } })
    new Gauge({
      name: 'hookcat_outbox_messages',
      help: 'Outbox messages by state (pending and sending make the depth; dead are dead letters)',
      labelNames: ['state'],
      registers,
      async collect() {
        const counts = await sources.storage.outboxCounts()
        for (const [state, n] of Object.entries(counts)) this.set({ state }, n)
      },
    })
  }

  request(plugin: string, status: number, seconds: number): void {
    const key = `${plugin}\u0000${status}`
    let child = this.requestChildren.get(key)
    if (!child) {
      child = this.requests.labels(plugin, String(status))
      this.requestChildren.set(key, child)
    }
    child.inc()
    let timer = this.latencyChildren.get(plugin)
    if (!timer) {
      timer = this.latency.labels(plugin)
      this.latencyChildren.set(plugin, timer)
    }
    timer.observe(seconds)
  }

  attempt(adapter: string, ok: boolean, seconds: number): void {
    this.attempts.labels(adapter, ok ? 'ok' : 'error').inc()
    this.sendLatency.labels(adapter).observe(seconds)
  }

  delivered(adapter: string, seconds: number): void {
    this.deliveryLatency.labels(adapter).observe(seconds)
  }

  refusal(plugin: string, route: string, reason: string): void {
    this.refusals.labels(plugin, route, reason).inc()
  }

  dead(adapter: string): void {
    this.deadLetters.labels(adapter).inc()
  }

  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() }
  }
}
