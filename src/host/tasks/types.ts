// The public shape of plugin.tasks: durable background jobs whose state lives in the database.
import type { TaskPolicy, TaskStatus } from '../../storage/types.js'

export type { TaskPolicy, TaskStatus }

/** What a task's handler receives on each attempt. */
export interface TaskContext<Params = unknown> {
  id: string
  params: Params
  /** 1 on the first run; a run resumed after a restart or retried after an error counts as a new attempt. */
  attempt: number
  /** Reports progress (0 to 1) and an optional short message; stored, so that a restart keeps it. */
  progress(fraction: number, message?: string): Promise<void>
  /** Aborted when hookcat stops, the plugin unloads or the task's timeout passes: stop soon when it fires. */
  signal: AbortSignal
  /** Progress stored by an earlier attempt, so that a resumed run can skip what was done. */
  previous: { progress: number; message: string | null }
}

export type TaskHandler<Params = unknown, Result = unknown> = (task: TaskContext<Params>) => Result | Promise<Result>

export interface TaskOptions {
  /** retry (default): a failed or interrupted run is tried again up to maxAttempts; fail: it is final. */
  policy?: TaskPolicy
  /** Runs in all, first included (default 3 for retry, 1 for fail). */
  maxAttempts?: number
  /** Longest run time of one attempt in ms (default one hour); then the signal aborts and the attempt fails. */
  timeout?: number
}

/** A task as plugin.tasks.get() reports it. */
export interface TaskInfo<Result = unknown> {
  id: string
  kind: string
  status: TaskStatus
  /** 0 to 1. */
  progress: number
  message: string | null
  attempts: number
  maxAttempts: number
  policy: TaskPolicy
  result: Result | null
  error: string | null
  createdAt: number
  startedAt: number | null
  finishedAt: number | null
}

export interface PluginTasks {
  /** Registers the handler of a kind of task; runs of this kind stored earlier are resumed as their policy says. */
  define<Params = unknown, Result = unknown>(kind: string, handler: TaskHandler<Params, Result>, options?: TaskOptions): void
  /** Stores a new task (committed before this resolves) and runs it in the background. */
  start(kind: string, params?: unknown): Promise<{ id: string; status: TaskStatus }>
  /** The task with that id, when it belongs to this plugin. */
  get(id: string): Promise<TaskInfo | undefined>
}
