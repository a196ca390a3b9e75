// PostgreSQL storage: a pool for reads, one dedicated connection for group-committed writes.
import { hostname } from 'node:os'
import type pg from 'pg'
import { GroupCommitter } from '../group-commit.js'
import { DELIVERY_SELECT, OUTCOME_SQL } from '../outcome.js'
import { toAttempt, toDelivery, toMessage, toTask, toWebMessage } from '../rows.js'
import type {
  DeliveryFilter,
  DeliveryRow,
  OutboxAttempt,
  OutboxFilter,
  OutboxRow,
  OutboxState,
  MuteRow,
  Storage,
  TaskFilter,
  TaskRow,
  WebMessageRow,
  WriteOp,
  WriteResult,
  RefusalCount,
} from '../types.js'
import { newId } from '../../util/ids.js'
import { PgApplier } from './apply.js'
import { PgCoordinator } from './coordinator.js'
import { migrate } from './migrations.js'

let driver: typeof pg | undefined
/** The pg driver, loaded when a PostgreSQL storage opens: a host on SQLite never pays for loading it. */
async function loadDriver(): Promise<typeof pg> {
  return (driver ??= (await import('pg')).default)
}

export interface PgOptions {
  /** Connections in the read pool. */
  poolSize?: number
  /** How long an async delivery stays claimed by this process without renewal. */
  leaseMs?: number
}

/** postgres://user@host/db?schema=name — the optional schema parameter sets the search_path of every connection. */
/** postgres://…?schema=name&leaseMs=30000&poolSize=8 — hookcat's own parameters are taken out before connecting. */
function parseUrl(url: string): { connectionString: string; schema?: string; leaseMs?: number; poolSize?: number } {
  const parsed = new URL(url)
  const schema = parsed.searchParams.get('schema') ?? undefined
  const number = (name: string, min: number, max: number): number | undefined => {
    const raw = parsed.searchParams.get(name)
    parsed.searchParams.delete(name)
    if (raw === null) return undefined
    const value = Number(raw)
    if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} in the storage URL must be a whole number from ${min} to ${max}`)
    return value
  }
  const leaseMs = number('leaseMs', 1000, 3_600_000)
  const poolSize = number('poolSize', 1, 100)
  parsed.searchParams.delete('schema')
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name "${schema}" in the storage URL`)
  return { connectionString: parsed.toString(), schema, leaseMs, poolSize }
}

export class PgStorage implements Storage {
  readonly kind = 'postgres' as const
  /** This process's identity in leases. */
  readonly owner = `${hostname()}:${process.pid}:${newId().slice(-6)}`
  private pool?: pg.Pool
  private writer?: pg.PoolClient
  private committer?: GroupCommitter
  private readonly applier: PgApplier
  coordinator?: PgCoordinator
  private readonly connectionString: string
  private readonly schema?: string

  private readonly options: PgOptions

  constructor(url: string, options: PgOptions = {}) {
    const parsed = parseUrl(url)
    this.connectionString = parsed.connectionString
    this.schema = parsed.schema
    this.options = { leaseMs: parsed.leaseMs ?? options.leaseMs ?? 30_000, poolSize: parsed.poolSize ?? options.poolSize ?? 8 }
    this.applier = new PgApplier(this.owner, this.options.leaseMs!)
  }

  private async createPool(max: number): Promise<pg.Pool> {
    const lib = await loadDriver()
    // BIGINT columns hold millisecond timestamps and sequence numbers, all well inside Number's safe range.
    const types = { getTypeParser: (oid: number, format?: string) => (oid === 20 ? (v: string) => Number(v) : lib.types.getTypeParser(oid, format as 'text')) }
    const pool = new lib.Pool({
      connectionString: this.connectionString,
      max,
      types,
      application_name: 'hookcat',
      ...(this.schema ? { options: `-c search_path=${this.schema}` } : {}),
    })
    // An idle connection that breaks must not crash the process; the pool replaces it.
    pool.on('error', () => undefined)
    return pool
  }

  async open(): Promise<void> {
    this.pool = await this.createPool(this.options.poolSize ?? 8)
    const client = await this.pool.connect()
    try {
      if (this.schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`)
      await migrate(client)
    } finally {
      client.release()
    }
    this.writer = await this.pool.connect()
    this.committer = new GroupCommitter({ flush: (units) => this.applier.applyBatch(this.writer!, units) })
    this.coordinator = new PgCoordinator({
      pool: this.pool,
      owner: this.owner,
      leaseMs: this.options.leaseMs!,
      connect: async () => {
        const client = new (await loadDriver()).Client({ connectionString: this.connectionString, ...(this.schema ? { options: `-c search_path=${this.schema}` } : {}) })
        await client.connect()
        return client
      },
    })
  }

  async migrate(): Promise<string[]> {
    const pool = await this.createPool(1)
    const client = await pool.connect()
    try {
      if (this.schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`)
      return await migrate(client)
    } finally {
      client.release()
      await pool.end()
    }
  }

  async close(): Promise<void> {
    await this.committer?.close()
    await this.coordinator?.close()
    this.writer?.release()
    this.writer = undefined
    await this.pool?.end()
    this.pool = undefined
  }

  async ping(): Promise<boolean> {
    try {
      await this.q('SELECT 1')
      return true
    } catch {
      return false
    }
  }

  write(unit: WriteOp[]): Promise<WriteResult[]> {
    if (!this.committer) return Promise.reject(new Error('storage is not open'))
    return this.committer.write(unit)
  }

  private async q(sql: string, values: unknown[] = []): Promise<Record<string, unknown>[]> {
    if (!this.pool) throw new Error('storage is not open')
    return (await this.pool.query(sql, values)).rows
  }

  async getDelivery(id: string): Promise<DeliveryRow | undefined> {
    const [row] = await this.q(`${DELIVERY_SELECT} WHERE id = $1`, [id])
    return row && toDelivery(row)
  }

  async findDelivery(plugin: string, dedupKey: string, route?: string): Promise<DeliveryRow | undefined> {
    const [row] =
      route === undefined
        ? await this.q(`${DELIVERY_SELECT} WHERE plugin = $1 AND dedup_key = $2 ORDER BY seq DESC LIMIT 1`, [plugin, dedupKey])
        : await this.q(`${DELIVERY_SELECT} WHERE plugin = $1 AND route = $2 AND dedup_key = $3`, [plugin, route, dedupKey])
    return row && toDelivery(row)
  }

  async refusalCounts(plugin?: string): Promise<RefusalCount[]> {
    const rows = await this.q(
      `SELECT plugin, route, reason, status, count, first_at AS "firstAt", last_at AS "lastAt" FROM refusal_counts${plugin === undefined ? '' : ' WHERE plugin = $1'} ORDER BY count DESC, plugin, route, reason`,
      plugin === undefined ? [] : [plugin],
    )
    return rows.map((r) => ({ ...(r as unknown as RefusalCount), count: Number(r.count), firstAt: Number(r.firstAt), lastAt: Number(r.lastAt), status: Number(r.status) }))
  }

  async listDeliveries(filter: DeliveryFilter = {}): Promise<DeliveryRow[]> {
    const where: string[] = []
    const values: unknown[] = []
    const add = (sql: string, value: unknown) => {
      values.push(value)
      where.push(sql.replaceAll('?', `$${values.length}`))
    }
    if (filter.plugin) add('plugin = ?', filter.plugin)
    if (filter.status) add('status = ?', filter.status)
    if (filter.since !== undefined) add('received_at >= ?', filter.since)
    if (filter.until !== undefined) add('received_at < ?', filter.until)
    if (filter.beforeSeq !== undefined) add('seq < ?', filter.beforeSeq)
    if (filter.event) add('event = ?', filter.event)
    if (filter.outcome) add(`${OUTCOME_SQL} = ?`, filter.outcome)
    if (filter.text) add("(strpos(path, ?) > 0 OR strpos(encode(body, 'escape'), ?) > 0 OR id = ? OR coalesce(dedup_key, '') = ?)", filter.text)
    const limit = Math.min(Math.max(filter.limit ?? 50, 1), 1000)
    const rows = await this.q(`${DELIVERY_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ${limit}`, values)
    return rows.map(toDelivery)
  }

  async unfinishedDeliveries(limit: number, afterSeq = 0): Promise<DeliveryRow[]> {
    const rows = await this.q(`${DELIVERY_SELECT} WHERE status IN ('queued', 'processing') AND seq > $1 ORDER BY seq LIMIT $2`, [afterSeq, limit])
    return rows.map(toDelivery)
  }

  async getMessage(id: string): Promise<OutboxRow | undefined> {
    const [row] = await this.q('SELECT * FROM outbox WHERE id = $1', [id])
    return row && toMessage(row)
  }

  async listMessages(filter: OutboxFilter = {}): Promise<OutboxRow[]> {
    const where: string[] = []
    const values: unknown[] = []
    if (filter.state) (values.push(filter.state), where.push(`state = $${values.length}`))
    if (filter.chatKey) (values.push(filter.chatKey), where.push(`chat_key = $${values.length}`))
    if (filter.deliveryId) (values.push(filter.deliveryId), where.push(`delivery_id = $${values.length}`))
    if (filter.beforeSeq !== undefined) (values.push(filter.beforeSeq), where.push(`seq < $${values.length}`))
    const limit = Math.min(Math.max(filter.limit ?? 50, 1), 1000)
    const rows = await this.q(`SELECT * FROM outbox ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ${limit}`, values)
    return rows.map(toMessage)
  }

  async unfinishedMessages(limit: number, afterSeq = 0): Promise<OutboxRow[]> {
    const rows = await this.q("SELECT * FROM outbox WHERE state IN ('pending', 'sending') AND seq > $1 ORDER BY seq LIMIT $2", [afterSeq, limit])
    return rows.map(toMessage)
  }

  async pendingCounts(chatKeys: string[]): Promise<Map<string, number>> {
    if (chatKeys.length === 0) return new Map()
    const rows = await this.q("SELECT chat_key, count(*) AS n FROM outbox WHERE state IN ('pending', 'sending') AND chat_key = ANY($1) GROUP BY chat_key", [chatKeys.slice(0, 500)])
    return new Map(rows.map((r) => [r.chat_key as string, Number(r.n)]))
  }

  async pendingForChat(chatKey: string, afterSeq: number, limit: number): Promise<OutboxRow[]> {
    const rows = await this.q("SELECT * FROM outbox WHERE chat_key = $1 AND state IN ('pending', 'sending') AND seq > $2 ORDER BY seq LIMIT $3", [chatKey, afterSeq, limit])
    return rows.map(toMessage)
  }

  async messageAttempts(id: string): Promise<OutboxAttempt[]> {
    return (await this.q('SELECT * FROM outbox_attempts WHERE message_id = $1 ORDER BY seq', [id])).map(toAttempt)
  }

  async digestMembers(digestId: string): Promise<OutboxRow[]> {
    return (await this.q('SELECT * FROM outbox WHERE carried_by = $1 ORDER BY seq', [digestId])).map(toMessage)
  }

  async mutes(now: number): Promise<MuteRow[]> {
    const rows = await this.q('SELECT * FROM outbox_mutes WHERE until_at > $1 ORDER BY until_at', [now])
    return rows.map((r) => ({ chatKey: r.chat_key as string, until: Number(r.until_at), createdAt: Number(r.created_at) }))
  }

  async outboxCounts(): Promise<Record<OutboxState, number>> {
    const counts: Record<OutboxState, number> = { pending: 0, sending: 0, delivered: 0, dead: 0, discarded: 0, carried: 0 }
    for (const row of await this.q('SELECT state, COUNT(*)::int AS n FROM outbox GROUP BY state')) counts[row.state as OutboxState] = row.n as number
    return counts
  }

  async kvGet(plugin: string, scope: string, key: string): Promise<string | undefined> {
    const [row] = await this.q('SELECT value FROM kv WHERE plugin = $1 AND scope = $2 AND key = $3', [plugin, scope, key])
    return row?.value as string | undefined
  }

  async kvList(plugin: string, scope: string, prefix: string, limit = 1000): Promise<Array<{ key: string; value: string }>> {
    const rows = await this.q('SELECT key, value FROM kv WHERE plugin = $1 AND scope = $2 AND left(key, $4) = $3 ORDER BY key COLLATE "C" LIMIT $5', [
      plugin,
      scope,
      prefix,
      prefix.length,
      limit,
    ])
    return rows as Array<{ key: string; value: string }>
  }

  async pluginStates(): Promise<Record<string, boolean>> {
    const out: Record<string, boolean> = {}
    for (const row of await this.q('SELECT plugin, enabled FROM plugin_state')) out[row.plugin as string] = row.enabled as boolean
    return out
  }

  async webMessages(room: string, afterSeq = 0, limit = 200): Promise<WebMessageRow[]> {
    return (await this.q('SELECT * FROM web_messages WHERE room = $1 AND seq > $2 ORDER BY seq LIMIT $3', [room, afterSeq, limit])).map(toWebMessage)
  }

  async webRooms(): Promise<Array<{ room: string; count: number; lastAt: number }>> {
    const rows = await this.q('SELECT room, COUNT(*)::int AS count, MAX(created_at) AS "lastAt" FROM web_messages GROUP BY room ORDER BY 3 DESC')
    return rows as Array<{ room: string; count: number; lastAt: number }>
  }

  async getTask(id: string): Promise<TaskRow | undefined> {
    const [row] = await this.q('SELECT * FROM tasks WHERE id = $1', [id])
    return row && toTask(row)
  }

  async listTasks(filter: TaskFilter = {}): Promise<TaskRow[]> {
    const where: string[] = []
    const values: unknown[] = []
    if (filter.plugin) (values.push(filter.plugin), where.push(`plugin = $${values.length}`))
    if (filter.status) (values.push(filter.status), where.push(`status = $${values.length}`))
    if (filter.beforeSeq !== undefined) (values.push(filter.beforeSeq), where.push(`seq < $${values.length}`))
    const limit = Math.min(Math.max(filter.limit ?? 50, 1), 1000)
    return (await this.q(`SELECT * FROM tasks ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ${limit}`, values)).map(toTask)
  }

  async unfinishedTasks(limit: number, afterSeq = 0): Promise<TaskRow[]> {
    return (await this.q("SELECT * FROM tasks WHERE status IN ('queued', 'running') AND seq > $1 ORDER BY seq LIMIT $2", [afterSeq, limit])).map(toTask)
  }
}
