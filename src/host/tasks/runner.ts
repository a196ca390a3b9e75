// Runs durable tasks: each state change is committed, so a restart resumes or closes every task as its policy says.
import type { Logger } from '../../util/logger.js'
import { HookcatError } from '../../util/errors.js'
import { newId } from '../../util/ids.js'
import type { WorkCoordinator } from '../../storage/coordination.js'
import type { Storage, TaskPatch, TaskRow } from '../../storage/types.js'
import { backoffDelay } from '../outbox/outbox.js'
import type { TaskContext, TaskHandler, TaskInfo, TaskOptions, TaskPolicy, TaskStatus } from './types.js'

export interface TaskRunnerDeps {
  storage: Storage
  logger: Logger
  now?: () => number
  /** Tasks running at once in this process. */
  concurrency?: number
  backoffBase?: number
  backoffMax?: number
  /** Several processes share the storage: a task runs in the process holding its lease; others take it over when it expires. */
  coordinator?: WorkCoordinator
}

interface Definition {
  handler: TaskHandler
  policy: TaskPolicy
  maxAttempts: number
  timeout: number
}

const KIND = /^[a-z0-9][a-z0-9_.:-]{0,63}$/
const MAX_PARAMS = 256 * 1024
const MAX_RESULT = 1024 * 1024
const MAX_MESSAGE = 500
const DEFAULT_TIMEOUT = 60 * 60_000
const STOP_WAIT = 5000
const SCAN_PAGE = 200
const SCAN_PAGES = 500

/** Marks an abort that is not the task's fault (shutdown, unload): the row stays "running" for the next start to settle. */
class Shutdown extends Error {}

export function toTaskInfo(row: TaskRow): TaskInfo {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    progress: row.progress,
    message: row.progressMessage,
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
    policy: row.policy,
    result: row.result ?? null,
    error: row.error,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  }
}

export class TaskRunner {
  private readonly definitions = new Map<string, Definition>()
  /** Ids this process is responsible for now: waiting, ready or running. */
  private readonly known = new Set<string>()
  private readonly ready: string[] = []
  private readonly timers = new Map<string, NodeJS.Timeout>()
  /** When each waiting retry is due by the injected clock, so that a test clock that jumps ahead can run it (wake). */
  private readonly dueAt = new Map<string, number>()
  private readonly active = new Map<string, { plugin: string; controller: AbortController; done: Promise<void> }>()
  private started = false
  private stopped = false
  private readonly now: () => number
  private readonly concurrency: number

  constructor(private readonly deps: TaskRunnerDeps) {
    this.now = deps.now ?? Date.now
    this.concurrency = deps.concurrency ?? 4
  }

  define(plugin: string, kind: string, handler: TaskHandler, options: TaskOptions = {}): () => void {
    if (!KIND.test(kind)) throw new TypeError(`task kind "${kind}" must be 1-64 lower-case letters, digits, _ . : or -`)
    if (typeof handler !== 'function') throw new TypeError(`task kind "${kind}" needs a handler function`)
    const policy = options.policy ?? 'retry'
    if (policy !== 'retry' && policy !== 'fail') throw new TypeError('task policy must be "retry" or "fail"')
    const maxAttempts = options.maxAttempts ?? (policy === 'retry' ? 3 : 1)
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 100) throw new TypeError('maxAttempts must be a whole number from 1 to 100')
    const timeout = options.timeout ?? DEFAULT_TIMEOUT
    if (!(Number.isFinite(timeout) && timeout > 0)) throw new TypeError('timeout must be a positive number of ms')
    const key = `${plugin}\u0000${kind}`
    if (this.definitions.has(key)) throw new TypeError(`task kind "${kind}" is defined twice`)
    const definition: Definition = { handler, policy, maxAttempts, timeout }
    this.definitions.set(key, definition)
    // A plugin enabled or reloaded while hookcat runs picks up the tasks it left behind.
    if (this.started && !this.stopped) void this.scan(plugin, kind).catch((error) => this.deps.logger.error({ err: error, plugin, kind }, 'task scan failed'))
    return () => {
      if (this.definitions.get(key) === definition) this.definitions.delete(key)
      for (const [, run] of this.active) if (run.plugin === plugin) run.controller.abort(new Shutdown('the plugin unloaded'))
    }
  }

  async start(plugin: string, kind: string, params: unknown): Promise<{ id: string; status: TaskStatus }> {
    const definition = this.definitions.get(`${plugin}\u0000${kind}`)
    if (!definition) throw new TypeError(`task kind "${kind}" is not defined; call plugin.tasks.define() first`)
    let text: string | undefined
    try {
      text = JSON.stringify(params ?? null)
    } catch {
      throw new HookcatError('VALIDATION_FAILED', 'Task parameters must be JSON')
    }
    if (text === undefined || text.length > MAX_PARAMS) throw new HookcatError('VALIDATION_FAILED', `Task parameters must be JSON of at most ${MAX_PARAMS} bytes`)
    const id = newId()
    await this.deps.storage.write([
      { op: 'task.insert', task: { id, plugin, kind, params: JSON.parse(text), policy: definition.policy, maxAttempts: definition.maxAttempts, createdAt: this.now() } },
    ])
    if (this.started && !this.stopped) this.enqueue(id, 0)
    return { id, status: 'queued' }
  }

  async get(plugin: string, id: string): Promise<TaskInfo | undefined> {
    if (typeof id !== 'string' || id.length === 0 || id.length > 64) return undefined
    const row = await this.deps.storage.getTask(id)
    return row && row.plugin === plugin ? toTaskInfo(row) : undefined
  }

  /** Starts running: every unfinished task of a defined kind is resumed or closed as its policy says. */
  async run(): Promise<number> {
    this.started = true
    return this.scan()
  }

  /** Aborts running tasks (their rows stay "running", to be settled by the next start) and waits for them, bounded. */
  async stop(): Promise<void> {
    this.stopped = true
    for (const timer of this.timers.values()) clearTimeout(timer)
    this.timers.clear()
    this.dueAt.clear()
    const runs = [...this.active.values()]
    for (const run of runs) run.controller.abort(new Shutdown('hookcat is stopping'))
    await Promise.race([Promise.allSettled(runs.map((r) => r.done)), new Promise((r) => setTimeout(r, STOP_WAIT).unref())])
  }

  /** Tasks this process runs or waits to run (their leases must be renewed). */
  heldTasks(): string[] {
    return [...this.known]
  }

  /** Several processes: takes over the unfinished tasks of defined kinds whose process stopped (lease expired). */
  async claim(): Promise<number> {
    const coordinator = this.deps.coordinator
    if (!coordinator || !this.started || this.stopped) return 0
    const kinds = [...this.definitions.keys()].map((key) => key.replace('\u0000', '\u001f'))
    let count = 0
    for (let page = 0; page < SCAN_PAGES; page++) {
      const rows = await coordinator.claimExpiredTasks(kinds, SCAN_PAGE)
      for (const row of rows) {
        if (this.known.has(row.id)) continue
        await this.resume(row)
        count++
      }
      if (rows.length < SCAN_PAGE) break
    }
    return count
  }

  private async scan(plugin?: string, kind?: string): Promise<number> {
    // Several processes: reading every unfinished task would run other processes' live tasks; take only expired ones.
    if (this.deps.coordinator) return this.claim()
    let after = 0
    let count = 0
    for (let page = 0; page < SCAN_PAGES; page++) {
      const rows = await this.deps.storage.unfinishedTasks(SCAN_PAGE, after)
      if (rows.length === 0) break
      after = rows[rows.length - 1].seq
      for (const row of rows) {
        if ((plugin && row.plugin !== plugin) || (kind && row.kind !== kind) || this.known.has(row.id)) continue
        if (!this.definitions.has(`${row.plugin}\u0000${row.kind}`)) continue
        await this.resume(row)
        count++
      }
    }
    return count
  }

  /** A task found in storage: queued ones wait their turn; a "running" one was cut off by a stop or a crash. */
  private async resume(row: TaskRow): Promise<void> {
    if (row.status === 'queued') return this.enqueue(row.id, Math.max(0, (row.nextAttemptAt ?? 0) - this.now()))
    const now = this.now()
    if (row.policy === 'fail') {
      await this.finish(row.id, { status: 'interrupted', error: `hookcat stopped while attempt ${row.attempts} was running`, finishedAt: now })
      this.deps.logger.warn({ taskId: row.id, plugin: row.plugin, kind: row.kind }, 'task was interrupted by a restart; its policy is fail')
    } else if (row.attempts >= row.maxAttempts) {
      await this.finish(row.id, { status: 'failed', error: `hookcat stopped during attempt ${row.attempts} of ${row.maxAttempts}`, finishedAt: now })
    } else {
      this.deps.logger.info({ taskId: row.id, plugin: row.plugin, kind: row.kind, attempt: row.attempts + 1 }, 'resuming a task interrupted by a restart')
      this.enqueue(row.id, 0)
    }
  }

  /** Runs now every waiting retry that is due by the injected clock (a test clock that jumped ahead calls this). */
  wake(): void {
    const now = this.now()
    for (const [id, at] of this.dueAt) {
      if (at > now) continue
      clearTimeout(this.timers.get(id))
      this.timers.delete(id)
      this.dueAt.delete(id)
      this.ready.push(id)
    }
    this.drain()
  }

  private enqueue(id: string, delay: number): void {
    this.known.add(id)
    if (delay > 0) {
      const due = this.now() + delay
      const timer = setTimeout(() => {
        this.timers.delete(id)
        this.dueAt.delete(id)
        // The injected clock decides when a retry is due; a clock that stands still keeps it waiting.
        if (due - this.now() > 0 && !this.stopped) return this.enqueue(id, due - this.now())
        this.ready.push(id)
        this.drain()
      }, delay)
      timer.unref()
      this.timers.set(id, timer)
      this.dueAt.set(id, due)
      return
    }
    this.ready.push(id)
    this.drain()
  }

  private drain(): void {
    while (!this.stopped && this.active.size < this.concurrency && this.ready.length > 0) {
      const id = this.ready.shift()!
      const controller = new AbortController()
      const entry = { plugin: '', controller, done: Promise.resolve() }
      this.active.set(id, entry)
      entry.done = this.execute(id, entry)
        .catch((error) => {
          // The row is unchanged in storage (or another process took it over): the next start or takeover settles it.
          this.known.delete(id)
          this.deps.logger.error({ err: error, taskId: id }, 'task run failed')
        })
        .finally(() => {
          this.active.delete(id)
          this.drain()
        })
    }
  }

  private async execute(id: string, entry: { plugin: string; controller: AbortController }): Promise<void> {
    const row = await this.deps.storage.getTask(id)
    if (!row || (row.status !== 'queued' && row.status !== 'running')) return void this.known.delete(id)
    entry.plugin = row.plugin
    const definition = this.definitions.get(`${row.plugin}\u0000${row.kind}`)
    if (!definition) return void this.known.delete(id) // its plugin unloaded; picked up again when it defines the kind
    const attempt = row.attempts + 1
    // Committed before the handler runs, so that a crash from here on is seen as an interrupted attempt.
    await this.deps.storage.write([{ op: 'task.update', id, patch: { status: 'running', attempts: attempt, startedAt: this.now(), nextAttemptAt: null } }])
    const { controller } = entry
    const timer = setTimeout(() => controller.abort(new Error(`the attempt took longer than ${definition.timeout} ms`)), definition.timeout)
    timer.unref()
    const progress = this.progressWriter(id, controller.signal)
    const context: TaskContext = {
      id,
      params: row.params,
      attempt,
      progress: progress.report,
      signal: controller.signal,
      previous: { progress: row.progress, message: row.progressMessage },
    }
    try {
      const result = await Promise.race([
        Promise.resolve().then(() => definition.handler(context)),
        new Promise<never>((_, reject) => controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true })),
      ])
      await progress.flush()
      const text = result === undefined ? 'null' : JSON.stringify(result)
      if (text === undefined || text.length > MAX_RESULT) throw new Error(`the task's result must be JSON of at most ${MAX_RESULT} bytes`)
      await this.finish(id, { status: 'completed', progress: 1, result: JSON.parse(text), error: null, finishedAt: this.now() })
    } catch (error) {
      await progress.flush()
      if (controller.signal.reason instanceof Shutdown || this.stopped) return // settled by the next start, as the policy says
      await this.failed(row, definition, attempt, error)
    } finally {
      clearTimeout(timer)
    }
  }

  private async failed(row: TaskRow, definition: Definition, attempt: number, error: unknown): Promise<void> {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 1000) || 'the task failed'
    if (definition.policy === 'retry' && attempt < definition.maxAttempts) {
      const delay = backoffDelay(attempt, this.deps.backoffBase ?? 1000, this.deps.backoffMax ?? 5 * 60_000)
      const nextAttemptAt = this.now() + delay
      await this.deps.storage.write([{ op: 'task.update', id: row.id, patch: { status: 'queued', error: message, nextAttemptAt } }])
      this.deps.logger.warn({ taskId: row.id, plugin: row.plugin, kind: row.kind, attempt, err: message }, 'task attempt failed; will retry')
      this.known.delete(row.id)
      // Measured again after the write: a test clock may have moved meanwhile, and a retry already due runs now.
      this.enqueue(row.id, nextAttemptAt - this.now())
      return
    }
    await this.finish(row.id, { status: 'failed', error: message, finishedAt: this.now() })
    this.deps.logger.error({ taskId: row.id, plugin: row.plugin, kind: row.kind, attempts: attempt, err: message }, 'task failed')
  }

  private async finish(id: string, patch: TaskPatch): Promise<void> {
    await this.deps.storage.write([{ op: 'task.update', id, patch: { ...patch, nextAttemptAt: null } }])
    this.known.delete(id)
  }

  /** Progress writes are coalesced: at most one in flight, the latest value wins, and none after the attempt ends. */
  private progressWriter(id: string, signal: AbortSignal) {
    let latest: { progress: number; message: string | null } | undefined
    let writing: Promise<void> | undefined
    const pump = async (): Promise<void> => {
      while (latest) {
        const value = latest
        latest = undefined
        await this.deps.storage.write([{ op: 'task.update', id, patch: { progress: value.progress, progressMessage: value.message } }])
      }
    }
    const flush = async (): Promise<void> => {
      if (!writing && latest) writing = pump().finally(() => (writing = undefined))
      await writing?.catch(() => undefined)
    }
    return {
      flush,
      report: async (fraction: number, message?: string): Promise<void> => {
        if (signal.aborted) return
        const value = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0
        latest = { progress: value, message: typeof message === 'string' ? message.slice(0, MAX_MESSAGE) : null }
        await flush()
      },
    }
  }
}
