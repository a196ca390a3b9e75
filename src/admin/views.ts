// How stored rows and plugin infos are shown by the admin API: summaries for lists, details with decoded bodies.
import type { Host } from '../host/host.js'
import type { PluginInfo } from '../host/plugin/registry.js'
import type { DeliveryRow, OutboxRow } from '../storage/types.js'
import { redactHeaders } from '../util/redact.js'

export function pluginView(host: Host, info: PluginInfo) {
  return {
    ...info,
    enabled: info.state !== 'disabled',
    webhooks: info.webhooks.map((w) => ({ ...w, url: host.webhookUrl(info.name, w.path) })),
  }
}

export function deliverySummary(row: DeliveryRow) {
  return {
    id: row.id,
    seq: row.seq,
    plugin: row.plugin,
    route: row.route,
    path: row.path,
    method: row.method,
    mode: row.mode,
    status: row.status,
    responseStatus: row.responseStatus,
    error: row.error,
    attempts: row.attempts,
    bodySize: row.bodySize,
    clientIp: row.clientIp,
    dedupKey: row.dedupKey,
    duplicates: row.duplicates,
    receivedAt: row.receivedAt,
    finishedAt: row.finishedAt,
    durationMs: row.durationMs,
    event: row.event,
    outcome: row.outcome,
    outcomeReason: row.outcomeReason,
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** A body as text when it is valid UTF-8, else as base64; `truncated` when only its start was kept. */
export function bodyView(body: Buffer | null, size: number): { encoding: 'utf8' | 'base64'; data: string; size: number; stored: number; truncated: boolean } {
  const bytes = body ?? Buffer.alloc(0)
  let encoding: 'utf8' | 'base64' = 'utf8'
  let data: string
  try {
    data = utf8.decode(bytes)
  } catch {
    encoding = 'base64'
    data = bytes.toString('base64')
  }
  return { encoding, data, size, stored: bytes.length, truncated: bytes.length < size }
}

/** messageIds: the outbox messages the delivery produced, oldest first. */
export function deliveryDetail(row: DeliveryRow, messageIds: string[] = []) {
  return {
    ...deliverySummary(row),
    messageIds,
    // Stored headers were redacted at ingress; redacting again keeps rows written by older versions safe too.
    headers: redactHeaders(row.headers),
    query: row.query,
    body: bodyView(row.body, row.bodySize),
    response: { status: row.responseStatus, body: row.responseBody },
    timing: { receivedAt: row.receivedAt, finishedAt: row.finishedAt, durationMs: row.durationMs, nextAttemptAt: row.nextAttemptAt },
  }
}

export function messageView(row: OutboxRow) {
  return {
    id: row.id,
    seq: row.seq,
    chatKey: row.chatKey,
    message: row.message,
    plugin: row.plugin,
    deliveryId: row.deliveryId,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    deliveredAt: row.deliveredAt,
    lastError: row.lastError,
    carriedBy: row.carriedBy,
  }
}
