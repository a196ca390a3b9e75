// PostgreSQL work sharing: delivery leases taken over with SKIP LOCKED, one dispatcher per chat, shared token buckets, LISTEN/NOTIFY.
import type pg from 'pg'
import type { SharedRateLimit, WorkCoordinator } from '../coordination.js'
import { toDelivery, toTask } from '../rows.js'
import type { DeliveryRow, TaskRow } from '../types.js'

export interface CoordinatorDeps {
  pool: pg.Pool
  owner: string
  leaseMs: number
  /** Opens a dedicated connection for LISTEN. */
  connect: () => Promise<pg.Client>
}

export class PgCoordinator implements WorkCoordinator {
  readonly owner: string
  readonly leaseMs: number
  private listener?: pg.Client

  constructor(private readonly deps: CoordinatorDeps) {
    this.owner = deps.owner
    this.leaseMs = deps.leaseMs
  }

  private async q(sql: string, values: unknown[] = []): Promise<Record<string, unknown>[]> {
    return (await this.deps.pool.query(sql, values)).rows
  }

  async renew(chatKeys: string[], taskIds: string[] = []): Promise<string[]> {
    const until = Date.now() + this.leaseMs
    await this.q("UPDATE deliveries SET lease_until = $1 WHERE lease_owner = $2 AND status IN ('queued', 'processing')", [until, this.owner])
    if (taskIds.length) await this.q("UPDATE tasks SET lease_until = $1 WHERE lease_owner = $2 AND id = ANY($3) AND status IN ('queued', 'running')", [until, this.owner, taskIds])
    if (chatKeys.length === 0) return []
    const kept = await this.q('UPDATE outbox_chat_leases SET lease_until = $1 WHERE owner = $2 AND chat_key = ANY($3) RETURNING chat_key', [until, this.owner, chatKeys])
    const held = new Set(kept.map((r) => r.chat_key as string))
    return chatKeys.filter((key) => !held.has(key))
  }

  async claimExpiredDeliveries(limit: number): Promise<DeliveryRow[]> {
    const now = Date.now()
    const rows = await this.q(
      `UPDATE deliveries SET lease_owner = $1, lease_until = $2
       WHERE seq IN (
         SELECT seq FROM deliveries
         WHERE status IN ('queued', 'processing') AND (lease_until IS NULL OR lease_until < $3)
         ORDER BY seq LIMIT $4 FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [this.owner, now + this.leaseMs, now, limit],
    )
    return rows.map(toDelivery).sort((a, b) => a.seq - b.seq)
  }

  async claimExpiredTasks(kinds: string[], limit: number): Promise<TaskRow[]> {
    if (kinds.length === 0) return []
    const now = Date.now()
    const rows = await this.q(
      `UPDATE tasks SET lease_owner = $1, lease_until = $2
       WHERE seq IN (
         SELECT seq FROM tasks
         WHERE status IN ('queued', 'running') AND (lease_until IS NULL OR lease_until < $3) AND (plugin || chr(31) || kind) = ANY($5)
         ORDER BY seq LIMIT $4 FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [this.owner, now + this.leaseMs, now, limit, kinds],
    )
    return rows.map(toTask).sort((a, b) => a.seq - b.seq)
  }

  async earlierInOrder(deliveryId: string, orderingKey: string, committing: string[]): Promise<boolean> {
    const rows = await this.q(
      `SELECT 1 FROM deliveries e, deliveries d
       WHERE d.id = $1 AND e.ordering_key = $2 AND e.seq < d.seq AND e.attempts = 0 AND e.status IN ('queued', 'processing')
         AND e.id <> ALL($3::text[])
       LIMIT 1`,
      [deliveryId, orderingKey, committing],
    )
    return rows.length > 0
  }

  async acquireChat(chatKey: string): Promise<boolean> {
    const now = Date.now()
    const rows = await this.q(
      `INSERT INTO outbox_chat_leases (chat_key, owner, lease_until) VALUES ($1, $2, $3)
       ON CONFLICT (chat_key) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until
       WHERE outbox_chat_leases.owner = excluded.owner OR outbox_chat_leases.lease_until < $4
       RETURNING owner`,
      [chatKey, this.owner, now + this.leaseMs, now],
    )
    return rows.length === 1
  }

  async releaseChat(chatKey: string): Promise<void> {
    await this.q('DELETE FROM outbox_chat_leases WHERE chat_key = $1 AND owner = $2', [chatKey, this.owner])
  }

  async orphanChats(limit: number): Promise<string[]> {
    const rows = await this.q(
      `SELECT DISTINCT o.chat_key FROM outbox o
       LEFT JOIN outbox_chat_leases l ON l.chat_key = o.chat_key AND l.lease_until >= $1
       WHERE o.state IN ('pending', 'sending') AND l.chat_key IS NULL
       LIMIT $2`,
      [Date.now(), limit],
    )
    return rows.map((r) => r.chat_key as string)
  }

  async takeToken(key: string, limit: SharedRateLimit): Promise<number> {
    const now = Date.now()
    // Tokens may go below zero: a debt that later senders wait out, so that all processes together keep the pace.
    const rows = await this.q(
      `INSERT INTO rate_buckets (key, tokens, updated_at) VALUES ($1, $5::double precision - 1, $4)
       ON CONFLICT (key) DO UPDATE SET
         tokens = LEAST($5::double precision, rate_buckets.tokens + (($4 - rate_buckets.updated_at) * $2::double precision / $3)) - 1,
         updated_at = $4
       RETURNING tokens`,
      [key, limit.count, limit.intervalMs, now, limit.burst ?? limit.count],
    )
    const tokens = Number(rows[0].tokens)
    return tokens >= 0 ? 0 : Math.ceil((-tokens * limit.intervalMs) / limit.count)
  }

  async onMessages(listener: (chatKeys: string[]) => void): Promise<() => void> {
    if (!this.listener) {
      this.listener = await this.deps.connect()
      this.listener.on('error', () => undefined)
      await this.listener.query('LISTEN hookcat_outbox')
    }
    const client = this.listener
    const handler = (message: pg.Notification) => {
      if (message.channel === 'hookcat_outbox' && message.payload) listener(message.payload.split('\n'))
    }
    client.on('notification', handler)
    return () => client.off('notification', handler)
  }

  async close(): Promise<void> {
    await this.listener?.end().catch(() => undefined)
    this.listener = undefined
  }
}
