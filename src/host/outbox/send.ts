// Sending one message (or one part of it) of a chat's queue, and recording the outcome: delivered, retried later, or dead.
import type { ChatShaping } from '../../config/shaping.js'
import type { Logger } from '../../util/logger.js'
import type { Storage } from '../../storage/types.js'
import type { HostEvents } from '../events.js'
import type { Message } from '../messages.js'
import { backoffDelay, retryAfterDelay } from '../work/backoff.js'
import type { ChatHandle, WorkLeases } from '../work/leases.js'
import { SendError, type AdapterInstance, type SendContext } from './adapter.js'

export interface OutboxSettings {
  /** Digests, quiet hours and locale per chat_key or adapter instance (config `outbox.chats`). */
  chats?: Record<string, ChatShaping>
  maxAttempts: number
  maxAge: number
  backoffBase: number
  backoffMax: number
  sendTimeout: number
}

export interface QueuedMessage {
  id: string
  chatKey: string
  message: Message
  plugin: string | null
  attempts: number
  nextAttemptAt: number
  createdAt: number
  /** Parts already delivered (a split message resumes after them); each one is an ok row in outbox_attempts. Counted when first due. */
  partsSent?: number
  /** The adapter's render() of the message, made once when its first part is due. */
  parts?: unknown[]
  /** A digest of other messages (never carried by another digest). */
  digest?: boolean
  /** Its place in the chat's order as stored (position ?? seq); unknown for a message queued as it was committed. */
  order?: number
}

export interface ChatQueue extends ChatHandle {
  readonly adapter: AdapterInstance
  readonly channel: string
  readonly items: QueuedMessage[]
  /** Ids in items, so that a chat loaded again from storage does not queue a message twice. */
  readonly ids: Set<string>
}

export interface SendDeps {
  storage: Storage
  settings: OutboxSettings
  logger: Logger
  events: HostEvents
  leases: WorkLeases
  now: () => number
  onAttempt?: (adapter: string, ok: boolean, seconds: number) => void
  /** A message delivered whole, `seconds` after it was stored. */
  onDelivered?: (adapter: string, seconds: number) => void
  /** A message kept as a dead letter. */
  onDead?: (adapter: string) => void
}

function shift(chat: ChatQueue): void {
  const item = chat.items.shift()
  if (item) chat.ids.delete(item.id)
}

/** Sends the chat's head message (or its next part) once and records the outcome: delivered, retry later, or dead. */
export async function sendHead(deps: SendDeps, queue: ChatQueue, item: QueuedMessage & { partsSent: number }): Promise<void> {
  const started = deps.now()
  const attempt = item.attempts + 1
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(new Error('send timed out')), deps.settings.sendTimeout)
  let failure: SendError | undefined
  let lastPart = true
  try {
    const context: SendContext = { messageId: item.id, attempt, signal: controller.signal, plugin: item.plugin }
    if (queue.adapter.render) {
      item.parts ??= render(queue, item)
      const index = Math.min(item.partsSent, item.parts.length - 1)
      Object.assign(context, { part: index, parts: item.parts.length, payload: item.parts[index] })
      lastPart = index === item.parts.length - 1
    }
    await queue.adapter.send(queue.channel, item.message, context)
  } catch (error) {
    failure =
      error instanceof SendError
        ? error
        : new SendError(controller.signal.aborted ? 'send timed out' : (error as Error)?.message ?? String(error), { retryable: true, cause: error })
  } finally {
    clearTimeout(timer)
  }
  const finished = deps.now()
  const durationMs = finished - started
  deps.onAttempt?.(queue.adapter.name, !failure, durationMs / 1000)
  const record = { messageId: item.id, at: started, ok: !failure, httpStatus: failure?.httpStatus ?? null, error: failure?.message ?? null, durationMs }
  if (!failure && !lastPart) {
    // A part went through: recorded as an ok attempt, so that a restart resumes after it.
    item.attempts = attempt
    item.partsSent++
    await persist(deps, item, [
      { op: 'outbox.update', id: item.id, patch: { attempts: attempt, lastError: null } },
      { op: 'outbox.attempt', attempt: record },
    ])
    return
  }
  if (!failure) {
    await persist(deps, item, [
      { op: 'outbox.update', id: item.id, patch: { state: 'delivered', attempts: attempt, deliveredAt: finished, lastError: null } },
      { op: 'outbox.attempt', attempt: record },
    ])
    shift(queue)
    deps.onDelivered?.(queue.adapter.name, (finished - item.createdAt) / 1000)
    deps.events.emit('message', { id: item.id, chatKey: item.chatKey, state: 'delivered', attempts: attempt })
    return
  }
  const { maxAttempts, maxAge, backoffBase, backoffMax } = deps.settings
  const expired = finished - item.createdAt >= maxAge
  // Only failures count towards maxAttempts: the ok attempts are parts that went through.
  const failures = attempt - item.partsSent
  if (!failure.retryable || failures >= maxAttempts || expired) {
    await persist(deps, item, [
      { op: 'outbox.update', id: item.id, patch: { state: 'dead', attempts: attempt, lastError: failure.message } },
      { op: 'outbox.attempt', attempt: record },
    ])
    shift(queue)
    deps.onDead?.(queue.adapter.name)
    deps.logger.warn({ messageId: item.id, chatKey: item.chatKey, attempts: attempt, err: failure.message }, 'message kept as a dead letter')
    deps.events.emit('message', { id: item.id, chatKey: item.chatKey, state: 'dead', attempts: attempt, error: failure.message })
    return
  }
  let delay: number
  if (failure.retryAfterMs !== undefined) {
    // The platform said how long to wait: exactly that (plus a little jitter so chats do not return at once),
    // and the chat's tokens are spent so that what follows is paced again from there.
    delay = retryAfterDelay(failure.retryAfterMs, maxAge)
    deps.leases.throttled(queue, finished)
  } else delay = backoffDelay(failures, backoffBase, backoffMax)
  item.attempts = attempt
  item.nextAttemptAt = finished + delay
  await persist(deps, item, [
    { op: 'outbox.update', id: item.id, patch: { attempts: attempt, nextAttemptAt: item.nextAttemptAt, lastError: failure.message } },
    { op: 'outbox.attempt', attempt: record },
  ])
  deps.events.emit('message', { id: item.id, chatKey: item.chatKey, state: 'pending', attempts: attempt, error: failure.message })
}

/** The adapter's parts for a message; a message it cannot render is a dead letter, not a crash loop. */
function render(queue: ChatQueue, item: QueuedMessage): unknown[] {
  try {
    const parts = queue.adapter.render!(queue.channel, item.message)
    if (parts.length === 0) throw new Error('the adapter rendered no part')
    return parts
  } catch (error) {
    throw error instanceof SendError ? error : new SendError(`cannot render the message: ${(error as Error).message}`, { retryable: false, cause: error })
  }
}

async function persist(deps: SendDeps, item: QueuedMessage, unit: Parameters<Storage['write']>[0]): Promise<void> {
  try {
    await deps.storage.write(unit)
  } catch (error) {
    // The platform has the message but the record did not commit: it may be sent again after a restart (at-least-once).
    deps.logger.error({ messageId: item.id, err: (error as Error).message }, 'could not record a send attempt')
  }
}
