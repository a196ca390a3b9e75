// Rows of the outbox as a chat queue holds them: made from stored or new rows, kept in stored order, answers marked.
import type { OutboxInsert, OutboxRow } from '../../storage/types.js'
import type { Message } from '../messages.js'
import type { QueuedMessage } from './send.js'

/** The message marked as an answer (ctx.reply()) or with the mark removed, and its JSON text again. */
export function markAnswer(message: Message, answer: boolean): { message: Message; json: string } {
  const { answer: _, ...rest } = message
  const marked: Message = answer ? { ...rest, answer: true } : rest
  return { message: marked, json: JSON.stringify(marked) }
}

/** A chat queue's item for a row: a new one is due now; a stored one keeps its attempts and its place (seq, or the digest's). */
export function toQueued(row: OutboxInsert | OutboxRow): QueuedMessage {
  return {
    id: row.id,
    chatKey: row.chatKey,
    message: row.message as Message,
    plugin: row.plugin,
    attempts: 'attempts' in row ? row.attempts : 0,
    nextAttemptAt: 'nextAttemptAt' in row ? row.nextAttemptAt : row.createdAt,
    createdAt: row.createdAt,
    partsSent: 'attempts' in row && row.attempts > 0 ? undefined : 0,
    digest: 'position' in row && row.position !== null,
    order: 'seq' in row ? (row.position ?? row.seq) : undefined,
  }
}

/** Queues a message at its stored place (a digest sits where its first member was); never ahead of the head being sent. */
export function insertInOrder(items: QueuedMessage[], item: QueuedMessage): void {
  const at = item.order === undefined ? -1 : items.findIndex((m, i) => i > 0 && m.order !== undefined && m.order > item.order!)
  if (at < 0) items.push(item)
  else items.splice(at, 0, item)
}
