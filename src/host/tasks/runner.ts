// Runs durable tasks: each state change is committed, so a restart resumes or closes every task as its policy says.
import type { Logger } from '../../util/logger.js'
import { HookcatError } from '../../util/errors.js'
import { newId } from '../../util/ids.js'
import type { Storage, TaskPatch, TaskRow } from '../../storage/types.js'
import { backoffDelay } from '../work/backoff.js'
import type { WorkLeases } from '../work/leases.js'
import { WorkQueue } from '../work/queue.js'
import type { TaskContext, TaskHandler, TaskInfo, TaskOptions, TaskPolicy, TaskStatus } from './types.js'

export interface TaskRunnerDeps {
  storage: Storage
  logger: Logger
  now?: () => number
  settings?: Partial<TaskSettings>
  /** Which stored tasks this process takes up: all of them (one process) or those whose lease expired (several). */
  leases: WorkLeases
}

export interface TaskSettings {
  /** Tasks running at once in this process. */
  concurrency: number
  /** Tasks of one plugin running at once, so that one plugin's long jobs leave room for the others'. */
  perPlugin: number
  /** Unfinished tasks one plugin may have queued in this process; tasks.start() beyond it throws TASK_QUEUE_FULL. */
  maxQueued: number
  backoffBase: number
  backoffMax: number
}

export const TASK_DEFAULTS: TaskSettings = { concurrency: 4, perPlugin: 2, maxQueued: 1000, backoffBase: 1000, backoffMax: 5 * 60_000 }

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

/** Marks an abort that is not the task's fault (shutdown, unload): the row stays "running" for the next start to settle. */
class Shutdown extends Error {}

export function toTaskInfo(r: TaskRow): TaskInfo {
  return {
    id: r.id, kind: r.kind, status: r.status, progress: r.progress, message: r.progressMessage, attempts: r.attempts, maxAttempts: r.maxAttempts,
    policy: r.policy, result: r.result ?? null, error: r.error, createdAt: r.createdAt, startedAt: r.startedAt, finishedAt: r.finishedAt,
  }
}

export class TaskRunner {
  private readonly definitions = new Map<string, Definition>()
  /** Tasks this process is responsible for now (waiting, ready or running), one kind per plugin. */
  private readonly queue: WorkQueue<string>
  private readonly active = new Map<string, { plugin: string; controller: AbortController }>()
  /** Starts of each plugin whose row is being stored, not yet queued. */
  private readonly storing = new Map<string, number>()
  private started = false
  private readonly now: () => number
  private readonly settings: TaskSettings

  constructor(private readonly deps: TaskRunnerDeps) {
    this.now = deps.now ?? Date.now
    this.settings = { ...TASK_DEFAULTS, ...deps.settings }
    const perPlugin = Math.max(1, Math.min(this.settings.perPlugin, this.settings.concurrency))
    this.queue = new WorkQueue<string>({
      name: 'tasks',
      logger: deps.logger,
      now: this.now,
      concurrency: this.settings.concurrency,
      perKind: () => perPlugin,
      // The row is unchanged in storage (or another process took it over): the next start or takeover settles it.
      retryAfterError: false,
      run: (id) => this.execute(id),
    })
  }

  private get stopped(): boolean {
    return this.queue.isStopped
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
    if (this.started && !this.stopped) void this.scan([`${plugin}\u001f${kind}`]).catch((error) => this.deps.logger.error({ err: error, plugin, kind }, 'task scan failed'))
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
    // Tasks being stored count too, so that concurrent starts cannot overshoot the cap.
    const storing = this.storing.get(plugin) ?? 0
    if (this.queue.count(plugin) + storing >= this.settings.maxQueued) {
      throw new HookcatError('TASK_QUEUE_FULL', `The plugin "${plugin}" has ${this.settings.maxQueued} unfinished tasks queued; retry later`, { headers: { 'retry-after': '5' } })
    }
    const id = newId()
    this.storing.set(plugin, storing + 1)
    try {
      await this.deps.storage.write([
        { op: 'task.insert', task: { id, plugin, kind, params: JSON.parse(text), policy: definition.policy, maxAttempts: definition.maxAttempts, createdAt: this.now() } },
      ])
    } finally {
      const left = this.storing.get(plugin)! - 1
      if (left > 0) this.storing.set(plugin, left)
      else this.storing.delete(plugin)
    }
    if (this.started && !this.stopped) this.queue.add(id, plugin, id)
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
    const stopping = this.queue.stop(STOP_WAIT)
    for (const run of this.active.values()) run.controller.abort(new Shutdown('hookcat is stopping'))
    await stopping
  }

  /** Tasks this process runs or waits to run (their leases must be renewed). */
  heldTasks(): string[] {
    return this.queue.ids()
  }

  /** Takes up the unfinished tasks of defined kinds that the leases hand to this process (at start, and on takeover). */
  async claim(): Promise<number> {
    return this.started && !this.stopped ? this.scan() : 0
  }

  private async scan(kinds = [...this.definitions.keys()].map((key) => key.replace('\u0000', '\u001f'))): Promise<number> {
    let count = 0
    for await (const rows of this.deps.leases.tasks(kinds)) {
      for (const row of rows) {
        if (this.queue.has(row.id) || !this.definitions.has(`${row.plugin}\u0000${row.kind}`)) continue
        await this.resume(row)
        count++
      }
    }
    return count
  }

  /** A task found in storage: queued ones wait their turn; a "running" one was cut off by a stop or a crash. */
  private async resume(row: TaskRow): Promise<void> {
    if (row.status === 'queued') return void this.queue.add(row.id, row.plugin, row.id, row.nextAttemptAt ?? 0)
    const now = this.now()
    if (row.policy === 'fail') {
      await this.finish(row.id, { status: 'interrupted', error: `hookcat stopped while attempt ${row.attempts} was running`, finishedAt: now })
      this.deps.logger.warn({ taskId: row.id, plugin: row.plugin, kind: row.kind }, 'task was interrupted by a restart; its policy is fail')
    } else if (row.attempts >= row.maxAttempts) {
      await this.finish(row.id, { status: 'failed', error: `hookcat stopped during attempt ${row.attempts} of ${row.maxAttempts}`, finishedAt: now })
    } else {
      this.deps.logger.info({ taskId: row.id, plugin: row.plugin, kind: row.kind, attempt: row.attempts + 1 }, 'resuming a task interrupted by a restart')
      this.queue.add(row.id, row.plugin, row.id)
    }
  }

  /** Runs now every waiting retry that is due by the injected clock (a test clock that jumped ahead calls this). */
  wake(): void {
    this.queue.wake()
  }

  private async execute(id: string): Promise<{ at: number } | undefined> {
    const row = await this.deps.storage.getTask(id)
    if (!row || (row.status !== 'queued' && row.status !== 'running')) return
    const definition = this.definitions.get(`${row.plugin}\u0000${row.kind}`)
    if (!definition) return // its plugin unloaded; picked up again when it defines the kind
    const entry = { plugin: row.plugin, controller: new AbortController() }
    this.active.set(id, entry)
    try {
      return await this.attempt(row, definition, entry.controller)
    } finally {
      this.active.delete(id)
    }
  }

  private async attempt(row: TaskRow, definition: Definition, controller: AbortController): Promise<{ at: number } | undefined> {
    const id = row.id
    const attempt = row.attempts + 1
    // Committed before the handler runs, so that a crash from here on is seen as an interrupted attempt.
    await this.deps.storage.write([{ op: 'task.update', id, patch: { status: 'running', attempts: attempt, startedAt: this.now(), nextAttemptAt: null } }])
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
      return await this.failed(row, definition, attempt, error)
    } finally {
      clearTimeout(timer)
    }
  }

  private async failed(row: TaskRow, definition: Definition, attempt: number, error: unknown): Promise<{ at: number } | undefined> {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 1000) || 'the task failed'
    if (definition.policy === 'retry' && attempt < definition.maxAttempts) {
      const delay = backoffDelay(attempt, this.settings.backoffBase, this.settings.backoffMax)
      const nextAttemptAt = this.now() + delay
      await this.deps.storage.write([{ op: 'task.update', id: row.id, patch: { status: 'queued', error: message, nextAttemptAt } }])
      this.deps.logger.warn({ taskId: row.id, plugin: row.plugin, kind: row.kind, attempt, err: message }, 'task attempt failed; will retry')
      return { at: nextAttemptAt }
    }
    await this.finish(row.id, { status: 'failed', error: message, finishedAt: this.now() })
    this.deps.logger.error({ taskId: row.id, plugin: row.plugin, kind: row.kind, attempts: attempt, err: message }, 'task failed')
  }

  private async finish(id: string, patch: TaskPatch): Promise<void> {
    await this.deps.storage.write([{ op: 'task.update', id, patch: { ...patch, nextAttemptAt: null } }])
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
