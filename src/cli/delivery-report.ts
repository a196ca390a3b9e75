// `simulate --wait`: follows the delivery a request made until it is handled and its messages are sent (bounded), and
// prints its outcome and each message it produced.
import { adminRequest, type AdminTarget } from './admin-client.js'
import { CliError } from './errors.js'

interface DeliveryView {
  id: string
  event: string | null
  outcome: string
  outcomeReason: string | null
  messageIds: string[]
}

interface MessageView {
  id: string
  chatKey: string
  state: string
  lastError: string | null
  message: { title?: string; text?: string }
}

const SETTLED = new Set(['delivered', 'dead', 'discarded'])

/** The delivery a simulation made: the async answer names it; otherwise it is found by the delivery id simulate sent. */
export async function findDelivery(target: AdminTarget, plugin: string, answer: string, senderId: string): Promise<string | undefined> {
  try {
    const parsed = JSON.parse(answer) as { id?: unknown; status?: unknown }
    if (parsed.status === 'queued' && typeof parsed.id === 'string') return parsed.id
  } catch {
    // not JSON: look it up
  }
  const found = (await adminRequest(target, 'GET', `/deliveries?plugin=${encodeURIComponent(plugin)}&q=${encodeURIComponent(senderId)}&limit=1`)) as { deliveries: Array<{ id: string }> }
  return found.deliveries[0]?.id
}

/** Polls until the delivery is handled and none of its messages is still on its way, or the time is up. */
export async function followDelivery(target: AdminTarget, id: string, timeoutMs: number): Promise<{ delivery: DeliveryView; messages: MessageView[]; settled: boolean }> {
  const deadline = Date.now() + timeoutMs
  for (let round = 0; ; round++) {
    const delivery = (await adminRequest(target, 'GET', `/deliveries/${encodeURIComponent(id)}`)) as DeliveryView
    const messages: MessageView[] = []
    for (const messageId of delivery.messageIds ?? []) {
      messages.push(((await adminRequest(target, 'GET', `/outbox/${encodeURIComponent(messageId)}`)) as { message: MessageView }).message)
    }
    const settled = delivery.outcome !== 'pending' && messages.every((m) => SETTLED.has(m.state))
    if (settled || Date.now() >= deadline || round > 10_000) return { delivery, messages, settled }
    await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** Math.min(round, 4), 1000)))
  }
}

/** "outcome: delivered (push)" and one line per message: chat, state, first line of the text. */
export function formatReport(report: { delivery: DeliveryView; messages: MessageView[]; settled: boolean }, timeoutMs: number): string {
  const { delivery, messages } = report
  const lines = [`delivery ${delivery.id}${delivery.event ? ` (${delivery.event})` : ''}: ${delivery.outcome}${delivery.outcomeReason ? ` — ${delivery.outcomeReason}` : ''}`]
  if (!report.settled) lines.push(`  (still on its way after ${Math.round(timeoutMs / 1000)} s)`)
  if (messages.length === 0) lines.push('  no messages')
  for (const m of messages) {
    const text = (m.message.title ?? m.message.text ?? '').split('\n')[0].slice(0, 100)
    lines.push(`  message ${m.id} → ${m.chatKey}: ${m.state}${m.lastError ? ` (${m.lastError.slice(0, 120)})` : ''}${text ? ` — ${text}` : ''}`)
  }
  return lines.join('\n')
}

export function noDelivery(): CliError {
  return new CliError('the server answered, but no delivery was recorded for the request (was it refused?)')
}
