// The built-in long job: hashes its input in timed steps, reporting progress, resumable after a restart.
import { createHash } from 'node:crypto'
import { HookcatError, type TaskContext } from '../../index.js'

export interface JobParams {
  steps: number
  stepMs: number
  input: unknown
}

export interface JobResult {
  steps: number
  digest: string
  inputBytes: number
  /** Steps an earlier, interrupted attempt had finished (recomputed without waiting). */
  resumedAt: number
}

export const LIMITS = { maxSteps: 1000, maxStepMs: 10_000, maxTotalMs: 10 * 60_000, maxInput: 64 * 1024 }

function whole(value: unknown, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined || value === null) return fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new HookcatError('VALIDATION_FAILED', `${name} must be a whole number from ${min} to ${max}`, { details: { field: name } })
  }
  return value
}

/** Checks the posted parameters; every bad one is a 400 that names it. */
export function parseJobParams(body: unknown): JobParams {
  if (body !== undefined && (body === null || typeof body !== 'object' || Array.isArray(body))) {
    throw new HookcatError('VALIDATION_FAILED', 'The body must be a JSON object such as {"steps": 10, "stepMs": 200, "input": …}')
  }
  const b = (body ?? {}) as Record<string, unknown>
  const steps = whole(b.steps, 'steps', 1, LIMITS.maxSteps, 10)
  const stepMs = whole(b.stepMs, 'stepMs', 0, LIMITS.maxStepMs, 200)
  if (steps * stepMs > LIMITS.maxTotalMs) {
    throw new HookcatError('VALIDATION_FAILED', `steps × stepMs must be at most ${LIMITS.maxTotalMs} ms`, { details: { field: 'stepMs' } })
  }
  const input = b.input ?? null
  if (JSON.stringify(input).length > LIMITS.maxInput) {
    throw new HookcatError('VALIDATION_FAILED', `input must be at most ${LIMITS.maxInput} bytes of JSON`, { details: { field: 'input' } })
  }
  return { steps, stepMs, input }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason)
    const timer = setTimeout(() => (signal.removeEventListener('abort', onAbort), resolve()), ms)
    const onAbort = () => (clearTimeout(timer), reject(signal.reason))
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

/** A hash chain over the input, one link per step; the steps an earlier attempt finished are recomputed at once. */
export async function runJob(task: TaskContext<JobParams>): Promise<JobResult> {
  const { steps, stepMs, input } = task.params
  const text = JSON.stringify(input ?? null)
  let digest = createHash('sha256').update(text).digest('hex')
  const done = Math.min(steps, Math.floor(task.previous.progress * steps + 1e-9))
  for (let step = 1; step <= steps; step++) {
    digest = createHash('sha256').update(`${digest}:${step}:${text}`).digest('hex')
    if (step <= done) continue
    await sleep(stepMs, task.signal)
    await task.progress(step / steps, `step ${step}/${steps}`)
  }
  return { steps, digest, inputBytes: Buffer.byteLength(text), resumedAt: done }
}
