// Runs a webhook handler inside its delivery scope, with a time limit, and turns the outcome into an answer.
import type { Logger } from '../../util/logger.js'
import { HookcatError, isHookcatError } from '../../util/errors.js'
import type { HandlerOutcome, OutboxInsert } from '../../storage/types.js'
import type { WebhookRoute } from './routes.js'
import type { WebhookRequest } from './request.js'
import { deliveryScope, type DeliveryScope } from './delivery-scope.js'
import { errorAnswer, toAnswer, type HttpAnswer } from './reply.js'

export interface Execution {
  answer: HttpAnswer
  /** Messages the handler sent, to be committed with the delivery. */
  sends: OutboxInsert[]
  /** Set when the handler threw or timed out. */
  error?: unknown
}

/** What the handler said the delivery came to (reply.ignored/filtered), for the delivery log. */
export function handlerMark(execution: Execution): { outcome: HandlerOutcome | null; outcomeReason: string | null } {
  const mark = execution.error === undefined ? execution.answer.outcome : undefined
  return { outcome: mark?.outcome ?? null, outcomeReason: mark?.reason ?? null }
}

/** True when trying the same delivery again may succeed (not a 4xx that the handler chose). */
export function isRetryable(execution: Execution): boolean {
  if (execution.error === undefined) return execution.answer.status >= 500
  return !(isHookcatError(execution.error) && execution.error.status < 500)
}

export function describeError(error: unknown): string {
  if (isHookcatError(error)) return `${error.code}: ${error.message}`
  if (error instanceof Error) return `${error.name}: ${error.message}`
  return String(error)
}

export async function executeHandler(route: WebhookRoute, request: WebhookRequest, timeoutMs: number, logger: Logger): Promise<Execution> {
  const scope: DeliveryScope = { plugin: route.plugin, deliveryId: request.deliveryId, pending: [], open: true }
  let timer: NodeJS.Timeout | undefined
  try {
    const run = deliveryScope.run(scope, async () => toAnswer(await route.handler(request)))
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new HookcatError('HANDLER_TIMEOUT', `The handler did not finish within ${timeoutMs} ms`)), timeoutMs)
    })
    const answer = await Promise.race([run, timeout])
    scope.open = false
    return { answer, sends: scope.pending }
  } catch (error) {
    scope.open = false
    if (!isHookcatError(error) || error.status >= 500) {
      logger.error({ plugin: route.plugin, path: route.path, deliveryId: request.deliveryId, err: error }, 'webhook handler failed')
    }
    // Messages sent before a failure are dropped with it: the retry will send them again.
    return { answer: errorAnswer(error), sends: [], error }
  } finally {
    if (timer) clearTimeout(timer)
  }
}
