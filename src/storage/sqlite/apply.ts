// Applies batches of write units to SQLite in one transaction each, a savepoint per unit (runs in the writer thread).
import type { Database, Statement } from 'better-sqlite3'
import { failedUnit, type UnitOutcome } from '../group-commit.js'
import type { WriteOp, WriteResult } from '../types.js'
import { DELIVERY_COLUMNS, encodeTaskPatch, OUTBOX_COLUMNS, TASK_COLUMNS } from '../columns.js'
import { toDelivery } from '../rows.js'

/** Raised inside a unit to roll back its savepoint and answer "duplicate" without failing the batch. */
const FINISHED_TASK = "('completed', 'failed', 'interrupted')"

class DuplicateDelivery {
  constructor(readonly results: WriteResult[]) {}
}

/** Ops that are one SQL statement (or, for a duplicate delivery, no write at all). */
const SINGLE_STATEMENT = new Set<string | undefined>(['delivery.insert', 'delivery.update', 'outbox.update', 'task.update', 'kv.set', 'kv.delete', 'kv.cas'])

export class SqliteApplier {
  private readonly insertDelivery: Statement
  private readonly findByDedup: Statement
  private readonly bumpDuplicate: Statement
  private readonly insertMessage: Statement
  private readonly insertAttempt: Statement
  private readonly kvSet: Statement
  private readonly kvDelete: Statement
  /** Transaction control, prepared once (exec() would parse it again for every unit). */
  private readonly tx: Record<'begin' | 'savepoint' | 'release' | 'rollbackTo' | 'commit', Statement>
  private readonly kvInsertIfAbsent: Statement
  private readonly kvReplaceIf: Statement
  private readonly pluginStateSet: Statement
  private readonly webInsert: Statement
  private readonly pruneByAge: Statement
  private readonly pruneByCount: Statement
  private readonly insertTask: Statement
  private readonly tasksByAge: Statement
  private readonly tasksByCount: Statement
  private readonly addRefusals: Statement
  private readonly reclaim: Statement
  private readonly patchCache = new Map<string, Statement>()

  constructor(private readonly db: Database) {
    this.insertDelivery = db.prepare(`INSERT INTO deliveries
      (id, plugin, route, path, method, headers, query, body, body_size, client_ip, mode, status, dedup_key,
       response_status, response_body, error, attempts, next_attempt_at, received_at, finished_at, duration_ms, event, outcome, outcome_reason, ordering_key)
      VALUES (@id, @plugin, @route, @path, @method, @headers, @query, @body, @bodySize, @clientIp, @mode, @status, @dedupKey,
       @responseStatus, @responseBody, @error, @attempts, @nextAttemptAt, @receivedAt, @finishedAt, @durationMs, @event, @outcome, @outcomeReason, @orderingKey)
      ON CONFLICT DO NOTHING`)
    this.reclaim = db.prepare(
      "UPDATE deliveries SET status = 'received', received_at = ?, error = NULL, finished_at = NULL WHERE id = ? AND status = 'failed' AND mode = 'sync'",
    )
    this.findByDedup = db.prepare('SELECT * FROM deliveries WHERE plugin = ? AND route = ? AND dedup_key = ?')
    this.bumpDuplicate = db.prepare('UPDATE deliveries SET duplicates = duplicates + 1 WHERE seq = ?')
    this.insertMessage = db.prepare(`INSERT INTO outbox (id, chat_key, message, plugin, delivery_id, state, last_error, attempts, next_attempt_at, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)`)
    this.insertAttempt = db.prepare('INSERT INTO outbox_attempts (message_id, at, ok, http_status, error, duration_ms) VALUES (?, ?, ?, ?, ?, ?)')
    this.kvSet = db.prepare(`INSERT INTO kv (plugin, scope, key, value, updated_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (plugin, scope, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`)
    this.kvDelete = db.prepare('DELETE FROM kv WHERE plugin = ? AND scope = ? AND key = ?')
    this.kvInsertIfAbsent = db.prepare('INSERT INTO kv (plugin, scope, key, value, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (plugin, scope, key) DO NOTHING')
    this.kvReplaceIf = db.prepare('UPDATE kv SET value = ?, updated_at = ? WHERE plugin = ? AND scope = ? AND key = ? AND value = ?')
    this.pluginStateSet = db.prepare(`INSERT INTO plugin_state (plugin, enabled, updated_at) VALUES (?, ?, ?)
      ON CONFLICT (plugin) DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at`)
    this.webInsert = db.prepare('INSERT INTO web_messages (room, message, created_at, outbox_id) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING')
    this.pruneByAge = db.prepare("DELETE FROM deliveries WHERE received_at < ? AND status NOT IN ('queued', 'processing')")
    this.insertTask = db.prepare(`INSERT INTO tasks (id, plugin, kind, params, status, policy, attempts, max_attempts, progress, created_at, updated_at)
      VALUES (?, ?, ?, ?, 'queued', ?, 0, ?, 0, ?, ?)`)
    this.tasksByAge = db.prepare(`DELETE FROM tasks WHERE created_at < ? AND status IN ${FINISHED_TASK}`)
    this.tasksByCount = db.prepare(
      `DELETE FROM tasks WHERE status IN ${FINISHED_TASK} AND seq <= (SELECT seq FROM tasks WHERE status IN ${FINISHED_TASK} ORDER BY seq DESC LIMIT 1 OFFSET ?)`,
    )
    this.addRefusals = db.prepare(`INSERT INTO refusal_counts (plugin, route, reason, status, count, first_at, last_at) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (plugin, route, reason) DO UPDATE SET count = count + excluded.count, status = excluded.status,
        first_at = MIN(first_at, excluded.first_at), last_at = MAX(last_at, excluded.last_at)`)
    this.tx = {
      begin: db.prepare('BEGIN IMMEDIATE'),
      savepoint: db.prepare('SAVEPOINT unit'),
      release: db.prepare('RELEASE unit'),
      rollbackTo: db.prepare('ROLLBACK TO unit'),
      commit: db.prepare('COMMIT'),
    }
    this.pruneByCount = db.prepare(
      "DELETE FROM deliveries WHERE seq <= (SELECT seq FROM deliveries ORDER BY seq DESC LIMIT 1 OFFSET ?) AND status NOT IN ('queued', 'processing')",
    )
  }

  /** One transaction for the whole batch; a unit that fails is rolled back alone and reported. */
  applyBatch(units: WriteOp[][]): UnitOutcome[] {
    const outcomes: UnitOutcome[] = []
    const tx = this.tx
    tx.begin.run()
    try {
      for (const unit of units) {
        // A unit of one single-statement op needs no savepoint: SQLite undoes a failed statement by itself.
        const guarded = unit.length > 1 || !SINGLE_STATEMENT.has(unit[0]?.op)
        if (guarded) tx.savepoint.run()
        try {
          const results = unit.map((op) => this.apply(op))
          if (guarded) tx.release.run()
          outcomes.push({ results })
        } catch (error) {
          if (guarded) {
            tx.rollbackTo.run()
            tx.release.run()
          } else if (!this.db.inTransaction) throw error // a failure that ended the whole transaction: every unit failed
          if (error instanceof DuplicateDelivery) {
            // The conflicting row is read again after the rollback, and its duplicate count raised.
            outcomes.push({ results: error.results })
            const dup = error.results[0]
            if (dup && 'duplicate' in dup && dup.duplicate) this.bumpDuplicate.run(dup.duplicate.seq)
          } else outcomes.push(failedUnit(error))
        }
      }
      tx.commit.run()
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK')
      const message = (error as Error).message
      return units.map(() => ({ error: message }))
    }
    return outcomes
  }

  /** Statements of later migrations, prepared when first used. */
  private cached(sql: string): Statement {
    let stmt = this.patchCache.get(sql)
    if (!stmt) this.patchCache.set(sql, (stmt = this.db.prepare(sql)))
    return stmt
  }

  private digest(op: Extract<WriteOp, { op: 'outbox.digest' }>): WriteResult {
    const d = op.digest
    const first = this.cached("SELECT COALESCE(position, seq) AS pos FROM outbox WHERE id = ? AND chat_key = ? AND state = 'pending' AND attempts = 0").get(op.members[0], d.chatKey) as
      | { pos: number }
      | undefined
    if (!first) throw new Error(`digest ${d.id}: member ${op.members[0]} is not waiting`)
    const carry = this.cached("UPDATE outbox SET state = 'carried', carried_by = ?, updated_at = ? WHERE id = ? AND chat_key = ? AND state = 'pending' AND attempts = 0")
    for (const id of op.members) {
      if (carry.run(d.id, d.createdAt, id, d.chatKey).changes !== 1) throw new Error(`digest ${d.id}: member ${id} is not waiting`)
    }
    this.cached(`INSERT INTO outbox (id, chat_key, message, plugin, delivery_id, state, attempts, next_attempt_at, created_at, updated_at, position)
      VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?, ?)`).run(d.id, d.chatKey, JSON.stringify(d.message), d.plugin, d.deliveryId, d.createdAt, d.createdAt, d.createdAt, first.pos)
    return { ok: true, changes: op.members.length }
  }

  private apply(op: WriteOp): WriteResult {
    switch (op.op) {
      case 'delivery.insert': {
        const d = op.delivery
        const info = this.insertDelivery.run({
          ...d,
          headers: JSON.stringify(d.headers),
          body: d.body,
          attempts: d.attempts ?? 0,
          finishedAt: d.finishedAt ?? null,
          durationMs: d.durationMs ?? null,
          event: d.event ?? null,
          outcome: d.outcome ?? null,
          outcomeReason: d.outcomeReason ?? null,
          orderingKey: d.orderingKey ?? null,
        })
        if (info.changes === 0) {
          const existing = d.dedupKey === null ? undefined : this.findByDedup.get(d.plugin, d.route, d.dedupKey)
          if (!existing) throw new Error(`delivery id ${d.id} exists already`)
          throw new DuplicateDelivery([{ ok: true, duplicate: toDelivery(existing as Record<string, unknown>) }])
        }
        return { ok: true, seq: Number(info.lastInsertRowid) }
      }
      case 'delivery.reclaim':
        return { ok: true, changes: this.reclaim.run(op.receivedAt, op.id).changes }
      case 'delivery.update':
        return { ok: true, changes: this.patch('deliveries', DELIVERY_COLUMNS, op.id, op.patch) }
      case 'outbox.insert': {
        for (const m of op.messages) {
          this.insertMessage.run(m.id, m.chatKey, m.messageJson ?? JSON.stringify(m.message), m.plugin, m.deliveryId, m.deadReason ? 'dead' : 'pending', m.deadReason ?? null, m.createdAt, m.createdAt, m.createdAt)
        }
        return { ok: true, changes: op.messages.length }
      }
      case 'outbox.update':
        return { ok: true, changes: this.patch('outbox', OUTBOX_COLUMNS, op.id, op.patch, true) }
      case 'outbox.attempt': {
        const a = op.attempt
        this.insertAttempt.run(a.messageId, a.at, a.ok ? 1 : 0, a.httpStatus, a.error, a.durationMs)
        return { ok: true }
      }
      case 'outbox.digest':
        return this.digest(op)
      case 'mute.set':
        this.cached('INSERT INTO outbox_mutes (chat_key, until_at, created_at) VALUES (?, ?, ?) ON CONFLICT (chat_key) DO UPDATE SET until_at = excluded.until_at, created_at = excluded.created_at').run(
          op.chatKey,
          op.until,
          op.createdAt,
        )
        return { ok: true, changes: 1 }
      case 'mute.delete':
        return { ok: true, changes: this.cached('DELETE FROM outbox_mutes WHERE chat_key = ?').run(op.chatKey).changes }
      case 'kv.set':
        this.kvSet.run(op.plugin, op.scope, op.key, op.value, Date.now())
        return { ok: true }
      case 'kv.delete':
        return { ok: true, changes: this.kvDelete.run(op.plugin, op.scope, op.key).changes }
      case 'kv.cas': {
        const now = Date.now()
        const run = op.expected === null
          ? this.kvInsertIfAbsent.run(op.plugin, op.scope, op.key, op.value, now)
          : this.kvReplaceIf.run(op.value, now, op.plugin, op.scope, op.key, op.expected)
        return { ok: true, changes: run.changes }
      }
      case 'pluginState.set':
        this.pluginStateSet.run(op.plugin, op.enabled ? 1 : 0, Date.now())
        return { ok: true }
      case 'web.insert': {
        const info = this.webInsert.run(op.room, JSON.stringify(op.message), op.createdAt, op.outboxId)
        return { ok: true, seq: Number(info.lastInsertRowid), changes: info.changes }
      }
      case 'deliveries.prune': {
        const byAge = this.pruneByAge.run(op.olderThan).changes
        const byCount = this.pruneByCount.run(op.keep).changes
        return { ok: true, changes: byAge + byCount }
      }
      case 'tasks.prune': {
        const byAge = this.tasksByAge.run(op.olderThan).changes
        return { ok: true, changes: byAge + this.tasksByCount.run(op.keep).changes }
      }
      case 'refusals.add':
        for (const c of op.counts) this.addRefusals.run(c.plugin, c.route, c.reason, c.status, c.count, c.firstAt, c.lastAt)
        return { ok: true }
      case 'task.insert': {
        const t = op.task
        const info = this.insertTask.run(t.id, t.plugin, t.kind, JSON.stringify(t.params ?? null), t.policy, t.maxAttempts, t.createdAt, t.createdAt)
        return { ok: true, seq: Number(info.lastInsertRowid) }
      }
      case 'task.update':
        return { ok: true, changes: this.patch('tasks', TASK_COLUMNS, op.id, encodeTaskPatch(op.patch), true) }
    }
  }

  private patch(table: string, columns: Record<string, string>, id: string, patch: object, touch = false): number {
    const keys = Object.keys(patch).filter((k) => (patch as Record<string, unknown>)[k] !== undefined && k in columns)
    if (keys.length === 0) return 0
    const cacheKey = `${table}:${keys.join(',')}`
    let statement = this.patchCache.get(cacheKey)
    if (!statement) {
      const sets = keys.map((k) => `${columns[k]} = @${k}`)
      if (touch) sets.push('updated_at = @__now')
      statement = this.db.prepare(`UPDATE ${table} SET ${sets.join(', ')} WHERE id = @__id`)
      this.patchCache.set(cacheKey, statement)
    }
    const params: Record<string, unknown> = { __id: id }
    if (touch) params.__now = Date.now()
    for (const k of keys) params[k] = (patch as Record<string, unknown>)[k]
    return statement.run(params).changes
  }
}
