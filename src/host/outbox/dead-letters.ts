// Dead letters: sent again from where they stopped, or discarded for good (kept for the record).
import type { OutboxRow, Storage } from '../../storage/types.js'
import type { HostEvents } from '../events.js'

interface Deps {
  storage: Storage
  events: HostEvents
}

/** Parts of a split message already delivered are its ok attempts, counted from storage for a message that was tried. */
export async function partsSent(storage: Storage, id: string, attempts: number): Promise<number> {
  return attempts > 0 ? (await storage.messageAttempts(id)).filter((a) => a.ok).length : 0
}

/** Makes a dead (or discarded) message pending again; answers the row to queue, or undefined when it was not dead. */
export async function retryDead(deps: Deps, id: string, now: number): Promise<OutboxRow | undefined> {
  const row = await deps.storage.getMessage(id)
  if (!row || (row.state !== 'dead' && row.state !== 'discarded')) return undefined
  // Parts that went through before it died are not sent again; its failures start from zero (attempts = parts sent).
  const attempts = await partsSent(deps.storage, row.id, row.attempts)
  await deps.storage.write([{ op: 'outbox.update', id, patch: { state: 'pending', attempts, nextAttemptAt: now, lastError: null } }])
  deps.events.emit('message', { id, chatKey: row.chatKey, state: 'pending', attempts })
  return { ...row, state: 'pending', attempts, nextAttemptAt: now }
}

/** Marks a dead letter discarded; false when the message is not dead. */
export async function discardDead(deps: Deps, id: string): Promise<boolean> {
  const row = await deps.storage.getMessage(id)
  if (!row || row.state !== 'dead') return false
  await deps.storage.write([{ op: 'outbox.update', id, patch: { state: 'discarded' } }])
  deps.events.emit('message', { id, chatKey: row.chatKey, state: 'discarded', attempts: row.attempts })
  return true
}
