// SQLite storage: reads on the main thread (WAL readers), writes group-committed by a writer thread.
import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { Worker } from 'node:worker_threads'
import Database from 'better-sqlite3'
import { GroupCommitter, type UnitOutcome } from '../group-commit.js'
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
import { configureConnection, migrate } from './migrations.js'
import { DELIVERY_SELECT, OUTCOME_SQL } from '../outcome.js'
import { toAttempt, toDelivery, toMessage, toTask, toWebMessage } from '../rows.js'

type Raw = Record<string, unknown>

/**
 * The writer thread allocates little but short-lived units: a small young generation keeps its heap (and so the
 * process's resident memory) small; its old generation is left to grow as it needs.
 */
const WRITER_LIMITS = { maxYoungGenerationSizeMb: 8 }

/** The writer thread; when the sources run as TypeScript (tests, dev), the worker registers tsx before loading it. */
function spawnWriter(file: string): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./writer-thread.js', import.meta.url), { workerData: { file }, resourceLimits: WRITER_LIMITS })
  const tsx = import.meta.resolve('tsx/esm/api')
  const entry = new URL('./writer-thread.ts', import.meta.url).href
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}) })`
  return new Worker(boot, { eval: true, workerData: { file }, resourceLimits: WRITER_LIMITS })
}

/**
 * What the writer thread needs of a unit: a message whose JSON text is ready crosses as that text alone, not as an
 * object tree to structured-clone (and stringify again there).
 */
function forWriter(unit: WriteOp[]): WriteOp[] {
  if (!unit.some((op) => op.op === 'outbox.insert')) return unit
  return unit.map((op) =>
    op.op === 'outbox.insert' ? { ...op, messages: op.messages.map((m) => (m.messageJson === undefined ? m : { ...m, message: null })) } : op,
  )
}

export class SqliteStorage implements Storage {
  readonly kind = 'sqlite' as const
  readonly file: string
  private db?: Database.Database
  private worker?: Worker
  private committer?: GroupCommitter
  private nextBatchId = 1
  private unitsWritten = 0
  private readonly batches = new Map<number, { resolve: (o: UnitOutcome[]) => void; reject: (e: Error) => void }>()
  private readonly statements = new Map<string, Database.Statement>()
  private workerError?: Error

  constructor(file: string) {
    this.file = file === ':memory:' ? file : resolve(file)
    if (this.file === ':memory:') throw new Error('SQLite storage needs a file: the writer thread and readers share it')
  }

  async open(): Promise<void> {
    mkdirSync(dirname(this.file), { recursive: true })
    const db = new Database(this.file)
    configureConnection(db)
    migrate(db)
    this.db = db
    await this.startWriter()
  }

  async migrate(): Promise<string[]> {
    const db = new Database(this.file)
    try {
      configureConnection(db)
      return migrate(db)
    } finally {
      db.close()
    }
  }

  private startWriter(): Promise<void> {
    const worker = spawnWriter(this.file)
    this.worker = worker
    let ready: () => void = () => undefined
    worker.on('message', (message: { id: number; outcomes: UnitOutcome[] } | { closed: true } | { ready: true }) => {
      if ('ready' in message) return ready()
      if ('closed' in message) return
      const waiter = this.batches.get(message.id)
      this.batches.delete(message.id)
      waiter?.resolve(message.outcomes)
    })
    worker.on('error', (error) => {
      this.workerError = error
      for (const waiter of this.batches.values()) waiter.reject(error)
      this.batches.clear()
    })
    // The writer thread merges the batches waiting for it into one transaction, so several may be handed over at once.
    this.committer = new GroupCommitter({ flush: (units) => this.flush(units), maxInFlight: 4 })
    return new Promise((resolvePromise, reject) => {
      ready = resolvePromise
      worker.once('error', reject)
    })
  }

  private flush(units: WriteOp[][]): Promise<UnitOutcome[]> {
    if (!this.worker || this.workerError) return Promise.reject(this.workerError ?? new Error('storage is not open'))
    const id = this.nextBatchId++
    return new Promise((resolvePromise, reject) => {
      this.batches.set(id, { resolve: resolvePromise, reject })
      this.worker!.postMessage({ id, units: units.map(forWriter) })
    })
  }

  /**
   * Group-commit evidence (tests, diagnostics): units written, and batches handed to the writer thread. Each batch commits
   * in one transaction (the writer may merge several into one), so units > batches means units shared transactions.
   */
  get writeStats(): { units: number; batches: number } {
    return { units: this.unitsWritten, batches: this.nextBatchId - 1 }
  }

  async write(unit: WriteOp[]): Promise<WriteResult[]> {
    if (!this.committer) throw new Error('storage is not open')
    this.unitsWritten++
    const results = await this.committer.write(unit)
    for (const r of results) {
      if (r.duplicate?.body && !Buffer.isBuffer(r.duplicate.body)) {
        const u8 = r.duplicate.body as Uint8Array
        r.duplicate.body = Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength)
      }
    }
    return results
  }

  async close(): Promise<void> {
    await this.committer?.close()
    if (this.worker) {
      const worker = this.worker
      this.worker = undefined
      await new Promise<void>((resolvePromise) => {
        worker.once('exit', () => resolvePromise())
        worker.postMessage({ close: true })
        setTimeout(() => void worker.terminate(), 2000).unref()
      })
    }
    this.db?.close()
    this.db = undefined
    this.statements.clear()
  }

  async ping(): Promise<boolean> {
    try {
      this.stmt('SELECT 1 AS ok').get()
      return !this.workerError && this.worker !== undefined
    } catch {
      return false
    }
  }

  private stmt(sql: string): Database.Statement {
    if (!this.db) throw new Error('storage is not open')
    let statement = this.statements.get(sql)
    if (!statement) {
      statement = this.db.prepare(sql)
      this.statements.set(sql, statement)
    }
    return statement
  }

  async getDelivery(id: string): Promise<DeliveryRow | undefined> {
    const row = this.stmt(`${DELIVERY_SELECT} WHERE id = ?`).get(id) as Raw | undefined
    return row && toDelivery(row)
  }

  async findDelivery(plugin: string, dedupKey: string, route?: string): Promise<DeliveryRow | undefined> {
    const row = (
      route === undefined
        ? this.stmt(`${DELIVERY_SELECT} WHERE plugin = ? AND dedup_key = ? ORDER BY seq DESC LIMIT 1`).get(plugin, dedupKey)
        : this.stmt(`${DELIVERY_SELECT} WHERE plugin = ? AND route = ? AND dedup_key = ?`).get(plugin, route, dedupKey)
    ) as Raw | undefined
    return row && toDelivery(row)
  }

  async refusalCounts(plugin?: string): Promise<RefusalCount[]> {
    const sql = `SELECT plugin, route, reason, status, count, first_at AS "firstAt", last_at AS "lastAt" FROM refusal_counts${plugin === undefined ? '' : ' WHERE plugin = ?'} ORDER BY count DESC, plugin, route, reason`
    const rows = (plugin === undefined ? this.stmt(sql).all() : this.stmt(sql).all(plugin)) as RefusalCount[]
    return rows.map((r) => ({ ...r, count: Number(r.count), firstAt: Number(r.firstAt), lastAt: Number(r.lastAt) }))
  }

  async listDeliveries(filter: DeliveryFilter = {}): Promise<DeliveryRow[]> {
    const where: string[] = []
    const params: unknown[] = []
    if (filter.plugin) (where.push('plugin = ?'), params.push(filter.plugin))
    if (filter.status) (where.push('status = ?'), params.push(filter.status))
    if (filter.since !== undefined) (where.push('received_at >= ?'), params.push(filter.since))
    if (filter.until !== undefined) (where.push('received_at < ?'), params.push(filter.until))
    if (filter.beforeSeq !== undefined) (where.push('seq < ?'), params.push(filter.beforeSeq))
    if (filter.event) (where.push('event = ?'), params.push(filter.event))
    if (filter.outcome) (where.push(`${OUTCOME_SQL} = ?`), params.push(filter.outcome))
    if (filter.text) {
      where.push("(instr(path, ?) > 0 OR instr(CAST(body AS TEXT), ?) > 0 OR id = ? OR IFNULL(dedup_key, '') = ?)")
      params.push(filter.text, filter.text, filter.text, filter.text)
    }
    const limit = Math.min(Math.max(filter.limit ?? 50, 1), 1000)
    const sql = `${DELIVERY_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ${limit}`
    return (this.stmt(sql).all(...params) as Raw[]).map(toDelivery)
  }

  async unfinishedDeliveries(limit: number, afterSeq = 0): Promise<DeliveryRow[]> {
    const rows = this.stmt(`${DELIVERY_SELECT} WHERE status IN ('queued', 'processing') AND seq > ? ORDER BY seq LIMIT ?`).all(afterSeq, limit) as Raw[]
    return rows.map(toDelivery)
  }

  async getMessage(id: string): Promise<OutboxRow | undefined> {
    const row = this.stmt('SELECT * FROM outbox WHERE id = ?').get(id) as Raw | undefined
    return row && toMessage(row)
  }

  async listMessages(filter: OutboxFilter = {}): Promise<OutboxRow[]> {
    const where: string[] = []
    const params: unknown[] = []
    if (filter.state) (where.push('state = ?'), params.push(filter.state))
    if (filter.chatKey) (where.push('chat_key = ?'), params.push(filter.chatKey))
    if (filter.deliveryId) (where.push('delivery_id = ?'), params.push(filter.deliveryId))
    if (filter.beforeSeq !== undefined) (where.push('seq < ?'), params.push(filter.beforeSeq))
    const limit = Math.min(Math.max(filter.limit ?? 50, 1), 1000)
    const sql = `SELECT * FROM outbox ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ${limit}`
    return (this.stmt(sql).all(...params) as Raw[]).map(toMessage)
  }

  async unfinishedMessages(limit: number, afterSeq = 0): Promise<OutboxRow[]> {
    const rows = this.stmt("SELECT * FROM outbox WHERE state IN ('pending', 'sending') AND seq > ? ORDER BY seq LIMIT ?").all(afterSeq, limit) as Raw[]
    return rows.map(toMessage)
  }

  async pendingCounts(chatKeys: string[]): Promise<Map<string, number>> {
    if (chatKeys.length === 0) return new Map()
    const sql = "SELECT chat_key, count(*) AS n FROM outbox WHERE state IN ('pending', 'sending') AND chat_key IN (SELECT value FROM json_each(?)) GROUP BY chat_key"
    return new Map((this.stmt(sql).all(JSON.stringify(chatKeys.slice(0, 500))) as Raw[]).map((r) => [r.chat_key as string, Number(r.n)]))
  }

  async pendingForChat(chatKey: string, afterSeq: number, limit: number): Promise<OutboxRow[]> {
    const rows = this.stmt("SELECT * FROM outbox WHERE chat_key = ? AND state IN ('pending', 'sending') AND seq > ? ORDER BY seq LIMIT ?").all(chatKey, afterSeq, limit) as Raw[]
    return rows.map(toMessage)
  }

  async messageAttempts(id: string): Promise<OutboxAttempt[]> {
    return (this.stmt('SELECT * FROM outbox_attempts WHERE message_id = ? ORDER BY seq').all(id) as Raw[]).map(toAttempt)
  }

  async digestMembers(digestId: string): Promise<OutboxRow[]> {
    return (this.stmt('SELECT * FROM outbox WHERE carried_by = ? ORDER BY seq').all(digestId) as Raw[]).map(toMessage)
  }

  async mutes(now: number): Promise<MuteRow[]> {
    const rows = this.stmt('SELECT * FROM outbox_mutes WHERE until_at > ? ORDER BY until_at').all(now) as Raw[]
    return rows.map((r) => ({ chatKey: r.chat_key as string, until: Number(r.until_at), createdAt: Number(r.created_at) }))
  }

  async outboxCounts(): Promise<Record<OutboxState, number>> {
    const counts: Record<OutboxState, number> = { pending: 0, sending: 0, delivered: 0, dead: 0, discarded: 0, carried: 0 }
    for (const row of this.stmt('SELECT state, COUNT(*) AS n FROM outbox GROUP BY state').all() as Array<{ state: OutboxState; n: number }>) {
      counts[row.state] = row.n
    }
    return counts
  }

  async kvGet(plugin: string, scope: string, key: string): Promise<string | undefined> {
    const row = this.stmt('SELECT value FROM kv WHERE plugin = ? AND scope = ? AND key = ?').get(plugin, scope, key) as { value: string } | undefined
    return row?.value
  }

  async kvList(plugin: string, scope: string, prefix: string, limit = 1000): Promise<Array<{ key: string; value: string }>> {
    // Range scan instead of LIKE so that % and _ in a prefix mean themselves. Keys compare as UTF-8 bytes, where U+FFFF
    // sorts below every emoji; the exact prefix test keeps the range an index scan and the answer exact.
    const rows = this.stmt(
      'SELECT key, value FROM kv WHERE plugin = ? AND scope = ? AND key >= ? AND key <= ? AND substr(key, 1, length(?)) = ? ORDER BY key LIMIT ?',
    ).all(plugin, scope, prefix, prefix + '\u{10ffff}\u{10ffff}', prefix, prefix, limit) as Array<{ key: string; value: string }>
    return rows
  }

  async pluginStates(): Promise<Record<string, boolean>> {
    const out: Record<string, boolean> = {}
    for (const row of this.stmt('SELECT plugin, enabled FROM plugin_state').all() as Array<{ plugin: string; enabled: number }>) {
      out[row.plugin] = row.enabled === 1
    }
    return out
  }

  async webMessages(room: string, afterSeq = 0, limit = 200): Promise<WebMessageRow[]> {
    const rows = this.stmt('SELECT * FROM web_messages WHERE room = ? AND seq > ? ORDER BY seq LIMIT ?').all(room, afterSeq, limit) as Raw[]
    return rows.map(toWebMessage)
  }

  async webRooms(): Promise<Array<{ room: string; count: number; lastAt: number }>> {
    return this.stmt('SELECT room, COUNT(*) AS count, MAX(created_at) AS lastAt FROM web_messages GROUP BY room ORDER BY lastAt DESC').all() as Array<{
      room: string
      count: number
      lastAt: number
    }>
  }

  async getTask(id: string): Promise<TaskRow | undefined> {
    const row = this.stmt('SELECT * FROM tasks WHERE id = ?').get(id) as Raw | undefined
    return row && toTask(row)
  }

  async listTasks(filter: TaskFilter = {}): Promise<TaskRow[]> {
    const where: string[] = []
    const params: unknown[] = []
    if (filter.plugin) (where.push('plugin = ?'), params.push(filter.plugin))
    if (filter.status) (where.push('status = ?'), params.push(filter.status))
    if (filter.beforeSeq !== undefined) (where.push('seq < ?'), params.push(filter.beforeSeq))
    const limit = Math.min(Math.max(filter.limit ?? 50, 1), 1000)
    const sql = `SELECT * FROM tasks ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ${limit}`
    return (this.stmt(sql).all(...params) as Raw[]).map(toTask)
  }

  async unfinishedTasks(limit: number, afterSeq = 0): Promise<TaskRow[]> {
    const rows = this.stmt("SELECT * FROM tasks WHERE status IN ('queued', 'running') AND seq > ? ORDER BY seq LIMIT ?").all(afterSeq, limit) as Raw[]
    return rows.map(toTask)
  }
}
