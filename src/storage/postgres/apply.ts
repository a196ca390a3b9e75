// Applies batches of write units to PostgreSQL in one transaction; falls back to one transaction per unit if the batch fails.
import type { PoolClient } from 'pg'
import { HookcatError } from '../../util/errors.js'
import { failedUnit, type UnitOutcome } from '../group-commit.js'
import { DELIVERY_COLUMNS, encodeTaskPatch, OUTBOX_COLUMNS, TASK_COLUMNS } from '../columns.js'
import { toDelivery } from '../rows.js'
import { deliveryValues, INSERT_DELIVERY, insertDeliveries } from './deliveries.js'
import type { WriteOp, WriteResult } from '../types.js'

function patchSql(table: string, columns: Record<string, string>, patch: object, touch: boolean): { sql: string; values: unknown[] } | undefined {
  const keys = Object.keys(patch).filter((k) => (patch as Record<string, unknown>)[k] !== undefined && k in columns)
  if (keys.length === 0) return undefined
  const values: unknown[] = keys.map((k) => (patch as Record<string, unknown>)[k])
  const sets = keys.map((k, i) => `${columns[k]} = $${i + 1}`)
  if (touch) {
    values.push(Date.now())
    sets.push(`updated_at = $${values.length}`)
  }
  return { sql: `UPDATE ${table} SET ${sets.join(', ')} WHERE id = $${values.length + 1}`, values }
}

export class PgApplier {
  /** Identifies this process's leases on async deliveries (multi-process takeover). */
  constructor(
    private readonly owner: string,
    private readonly leaseMs: number,
  ) {}

  /**
   * Messages to one chat are inserted under a lock on that chat (taken in sorted order, so no deadlocks), so that their
   * sequence numbers follow commit order even when several processes write to the same chat.
   */
  private async lockChats(client: PoolClient, units: WriteOp[][]): Promise<void> {
    const chats = new Set<string>()
    for (const unit of units) {
      for (const op of unit) {
        if (op.op === 'outbox.insert') for (const m of op.messages) chats.add(m.chatKey)
        else if (op.op === 'outbox.digest') chats.add(op.digest.chatKey)
      }
    }
    for (const chat of [...chats].sort()) await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [chat])
  }

  /** One notification per transaction naming the chats that got messages (delivered to listeners at commit). */
  private async notify(client: PoolClient, chats: Set<string>): Promise<void> {
    if (chats.size === 0) return
    // NOTIFY payloads are limited to 8000 bytes: the chats are sent in as many notifications as they need.
    let payload = ''
    for (const chat of chats) {
      if (payload && payload.length + chat.length + 1 > 7000) {
        await client.query("SELECT pg_notify('hookcat_outbox', $1)", [payload])
        payload = ''
      }
      payload = payload ? `${payload}\n${chat}` : chat
    }
    await client.query("SELECT pg_notify('hookcat_outbox', $1)", [payload])
  }

  async applyBatch(client: PoolClient, units: WriteOp[][]): Promise<UnitOutcome[]> {
    try {
      await client.query('BEGIN')
      await this.lockChats(client, units)
      const outcomes: UnitOutcome[] = []
      const notify = new Set<string>()
      const inserted = await insertDeliveries(client, units, this.owner, this.leaseMs)
      for (let i = 0; i < units.length; i++) outcomes.push({ results: inserted.get(i) ?? (await this.applyUnit(client, units[i], notify)) })
      await this.notify(client, notify)
      await client.query('COMMIT')
      return outcomes
    } catch {
      await client.query('ROLLBACK').catch(() => undefined)
    }
    // One unit made the batch fail: apply each unit alone, so that only the bad one is refused.
    const outcomes: UnitOutcome[] = []
    for (const unit of units) {
      try {
        await client.query('BEGIN')
        await this.lockChats(client, [unit])
        const notify = new Set<string>()
        const results = await this.applyUnit(client, unit, notify)
        await this.notify(client, notify)
        await client.query('COMMIT')
        outcomes.push({ results })
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined)
        outcomes.push(failedUnit(error))
      }
    }
    return outcomes
  }

  /** A duplicate delivery ends its unit: ops after it are not applied (a delivery.insert comes first in its unit). */
  private async applyUnit(client: PoolClient, unit: WriteOp[], notify: Set<string>): Promise<WriteResult[]> {
    const results: WriteResult[] = []
    for (let i = 0; i < unit.length; i++) {
      const op = unit[i]
      if (op.op === 'delivery.insert' && i > 0) await client.query('SAVEPOINT unit_insert')
      const result = await this.apply(client, op, notify)
      if (result.duplicate) {
        if (i > 0) await client.query('ROLLBACK TO SAVEPOINT unit_insert')
        return [result]
      }
      results.push(result)
    }
    return results
  }

  private async apply(client: PoolClient, op: WriteOp, notify: Set<string>): Promise<WriteResult> {
    switch (op.op) {
      case 'delivery.insert': {
        const d = op.delivery
        const inserted = await client.query<{ seq: number }>(INSERT_DELIVERY, deliveryValues(d, this.owner, this.leaseMs))
        if (inserted.rowCount === 0) {
          const existing = d.dedupKey === null ? undefined : (await client.query('SELECT * FROM deliveries WHERE plugin = $1 AND route = $2 AND dedup_key = $3', [d.plugin, d.route, d.dedupKey])).rows[0]
          if (!existing) throw new Error(`delivery id ${d.id} exists already`)
          await client.query('UPDATE deliveries SET duplicates = duplicates + 1 WHERE seq = $1', [existing.seq])
          return { ok: true, duplicate: toDelivery(existing) }
        }
        return { ok: true, seq: inserted.rows[0].seq }
      }
      case 'delivery.reclaim': {
        const r = await client.query(
          "UPDATE deliveries SET status = 'received', received_at = $1, error = NULL, finished_at = NULL WHERE id = $2 AND status = 'failed' AND mode = 'sync'",
          [op.receivedAt, op.id],
        )
        return { ok: true, changes: r.rowCount ?? 0 }
      }
      case 'delivery.update': {
        const q = patchSql('deliveries', DELIVERY_COLUMNS, op.patch, false)
        if (!q) return { ok: true, changes: 0 }
        // Only the process holding a delivery's lease may record its outcome: a stalled process that lost it must not.
        const sql = `${q.sql} AND (lease_owner IS NULL OR lease_owner = $${q.values.length + 2})`
        const changes = (await client.query(sql, [...q.values, op.id, this.owner])).rowCount ?? 0
        if (changes === 0 && (await client.query('SELECT 1 FROM deliveries WHERE id = $1', [op.id])).rowCount) {
          throw new HookcatError('LEASE_LOST', `lease lost: delivery ${op.id} is now handled by another process`)
        }
        return { ok: true, changes }
      }
      case 'outbox.insert': {
        if (op.messages.length === 0) return { ok: true, changes: 0 }
        // One statement for all the unit's messages, inserted in their order (so their sequence follows it); a message
        // whose chat cannot be delivered to is stored dead at once, with the reason.
        const ms = op.messages
        await client.query(
          `INSERT INTO outbox (id, chat_key, message, plugin, delivery_id, state, last_error, attempts, next_attempt_at, created_at, updated_at)
           SELECT id, chat_key, message, plugin, delivery_id, CASE WHEN dead IS NULL THEN 'pending' ELSE 'dead' END, dead, 0, created_at, created_at, created_at
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[])
             WITH ORDINALITY AS m(id, chat_key, message, plugin, delivery_id, created_at, dead, ord)
           ORDER BY ord`,
          [ms.map((m) => m.id), ms.map((m) => m.chatKey), ms.map((m) => m.messageJson ?? JSON.stringify(m.message)), ms.map((m) => m.plugin), ms.map((m) => m.deliveryId), ms.map((m) => m.createdAt), ms.map((m) => m.deadReason ?? null)],
        )
        for (const m of ms) if (!m.deadReason) notify.add(m.chatKey)
        return { ok: true, changes: ms.length }
      }
      case 'outbox.update': {
        const q = patchSql('outbox', OUTBOX_COLUMNS, op.patch, true)
        if (!q) return { ok: true, changes: 0 }
        return { ok: true, changes: (await client.query(q.sql, [...q.values, op.id])).rowCount ?? 0 }
      }
      case 'outbox.digest': {
        const d = op.digest
        const carried = await client.query(
          `UPDATE outbox SET state = 'carried', carried_by = $1, updated_at = $2
           WHERE id = ANY($3::text[]) AND chat_key = $4 AND state = 'pending' AND attempts = 0`,
          [d.id, d.createdAt, op.members, d.chatKey],
        )
        if (carried.rowCount !== op.members.length) throw new Error(`digest ${d.id}: a member is not waiting`)
        await client.query(
          `INSERT INTO outbox (id, chat_key, message, plugin, delivery_id, state, attempts, next_attempt_at, created_at, updated_at, position)
           SELECT $1, $2, $3, $4, $5, 'pending', 0, $6, $6, $6, COALESCE(position, seq) FROM outbox WHERE id = $7`,
          [d.id, d.chatKey, JSON.stringify(d.message), d.plugin, d.deliveryId, d.createdAt, op.members[0]],
        )
        return { ok: true, changes: op.members.length }
      }
      case 'mute.set':
        await client.query(
          'INSERT INTO outbox_mutes (chat_key, until_at, created_at) VALUES ($1, $2, $3) ON CONFLICT (chat_key) DO UPDATE SET until_at = excluded.until_at, created_at = excluded.created_at',
          [op.chatKey, op.until, op.createdAt],
        )
        return { ok: true, changes: 1 }
      case 'mute.delete':
        return { ok: true, changes: (await client.query('DELETE FROM outbox_mutes WHERE chat_key = $1', [op.chatKey])).rowCount ?? 0 }
      case 'outbox.attempt': {
        const a = op.attempt
        await client.query('INSERT INTO outbox_attempts (message_id, at, ok, http_status, error, duration_ms) VALUES ($1, $2, $3, $4, $5, $6)', [
          a.messageId, a.at, a.ok, a.httpStatus, a.error, a.durationMs,
        ])
        return { ok: true }
      }
      case 'kv.set':
        await client.query(
          `INSERT INTO kv (plugin, scope, key, value, updated_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (plugin, scope, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
          [op.plugin, op.scope, op.key, op.value, Date.now()],
        )
        return { ok: true }
      case 'kv.cas': {
        const r = op.expected === null
          ? await client.query('INSERT INTO kv (plugin, scope, key, value, updated_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (plugin, scope, key) DO NOTHING', [
              op.plugin, op.scope, op.key, op.value, Date.now(),
            ])
          : await client.query('UPDATE kv SET value = $1, updated_at = $2 WHERE plugin = $3 AND scope = $4 AND key = $5 AND value = $6', [
              op.value, Date.now(), op.plugin, op.scope, op.key, op.expected,
            ])
        return { ok: true, changes: r.rowCount ?? 0 }
      }
      case 'kv.delete':
        return { ok: true, changes: (await client.query('DELETE FROM kv WHERE plugin = $1 AND scope = $2 AND key = $3', [op.plugin, op.scope, op.key])).rowCount ?? 0 }
      case 'pluginState.set':
        await client.query(
          `INSERT INTO plugin_state (plugin, enabled, updated_at) VALUES ($1, $2, $3)
           ON CONFLICT (plugin) DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at`,
          [op.plugin, op.enabled, Date.now()],
        )
        return { ok: true }
      case 'web.insert': {
        const r = await client.query<{ seq: number }>(
          'INSERT INTO web_messages (room, message, created_at, outbox_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING seq',
          [op.room, JSON.stringify(op.message), op.createdAt, op.outboxId],
        )
        return { ok: true, seq: r.rows[0]?.seq, changes: r.rowCount ?? 0 }
      }
      case 'deliveries.prune': {
        const byAge = await client.query("DELETE FROM deliveries WHERE received_at < $1 AND status NOT IN ('queued', 'processing')", [op.olderThan])
        const byCount = await client.query(
          "DELETE FROM deliveries WHERE seq <= (SELECT seq FROM deliveries ORDER BY seq DESC LIMIT 1 OFFSET $1) AND status NOT IN ('queued', 'processing')",
          [op.keep],
        )
        return { ok: true, changes: (byAge.rowCount ?? 0) + (byCount.rowCount ?? 0) }
      }
      case 'tasks.prune': {
        const finished = "status IN ('completed', 'failed', 'interrupted')"
        const byAge = await client.query(`DELETE FROM tasks WHERE created_at < $1 AND ${finished}`, [op.olderThan])
        const byCount = await client.query(
          `DELETE FROM tasks WHERE ${finished} AND seq <= (SELECT seq FROM tasks WHERE ${finished} ORDER BY seq DESC LIMIT 1 OFFSET $1)`,
          [op.keep],
        )
        return { ok: true, changes: (byAge.rowCount ?? 0) + (byCount.rowCount ?? 0) }
      }
      case 'refusals.add':
        for (const c of op.counts) {
          await client.query(
            `INSERT INTO refusal_counts (plugin, route, reason, status, count, first_at, last_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (plugin, route, reason) DO UPDATE SET count = refusal_counts.count + excluded.count, status = excluded.status,
               first_at = LEAST(refusal_counts.first_at, excluded.first_at), last_at = GREATEST(refusal_counts.last_at, excluded.last_at)`,
            [c.plugin, c.route, c.reason, c.status, c.count, c.firstAt, c.lastAt],
          )
        }
        return { ok: true }
      case 'task.insert': {
        const t = op.task
        const r = await client.query<{ seq: number }>(
          `INSERT INTO tasks (id, plugin, kind, params, status, policy, attempts, max_attempts, progress, created_at, updated_at, lease_owner, lease_until)
           VALUES ($1, $2, $3, $4, 'queued', $5, 0, $6, 0, $7, $7, $8, $9) RETURNING seq`,
          [t.id, t.plugin, t.kind, JSON.stringify(t.params ?? null), t.policy, t.maxAttempts, t.createdAt, this.owner, Date.now() + this.leaseMs],
        )
        return { ok: true, seq: r.rows[0].seq }
      }
      case 'task.update': {
        const q = patchSql('tasks', TASK_COLUMNS, encodeTaskPatch(op.patch), true)
        if (!q) return { ok: true, changes: 0 }
        // As for deliveries: only the process holding the task's lease may move it on.
        const sql = `${q.sql} AND (lease_owner IS NULL OR lease_owner = $${q.values.length + 2})`
        const changes = (await client.query(sql, [...q.values, op.id, this.owner])).rowCount ?? 0
        if (changes === 0 && (await client.query('SELECT 1 FROM tasks WHERE id = $1', [op.id])).rowCount) {
          throw new HookcatError('LEASE_LOST', `lease lost: task ${op.id} is now run by another process`)
        }
        return { ok: true, changes }
      }
      default:
        throw new Error(`write op "${(op as { op: string }).op}" is not supported by the PostgreSQL backend`)
    }
  }
}
