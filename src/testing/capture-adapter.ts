// A capturing chat adapter for tests: records every message sent to test-<channel>, awaitable one by one.
import { z } from 'zod'
import { defineAdapter, SendError } from '../host/outbox/adapter.js'
import type { Message } from '../host/messages.js'

export interface CapturedMessage {
  chatKey: string
  channel: string
  message: Message
  messageId: string
  attempt: number
  at: number
}

export class SentMessages {
  private readonly items: CapturedMessage[] = []
  private readonly waiters: Array<{ from: number; resolve: (m: CapturedMessage) => void }> = []
  private cursor = 0
  /** Sends still to fail before one succeeds (to test retries). */
  failNext = 0

  record(item: CapturedMessage): void {
    this.items.push(item)
    for (const waiter of [...this.waiters]) {
      if (this.items.length > waiter.from) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1)
        waiter.resolve(this.items[waiter.from])
      }
    }
  }

  all(): CapturedMessage[] {
    return [...this.items]
  }

  /** The next message not yet taken by next(); waits for it up to timeoutMs. */
  next(timeoutMs = 5000): Promise<CapturedMessage> {
    const index = this.cursor++
    if (index < this.items.length) return Promise.resolve(this.items[index])
    return new Promise((resolve, reject) => {
      const waiter = { from: index, resolve: (m: CapturedMessage) => (clearTimeout(timer), resolve(m)) }
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1)
        // The message this call waited for is still to be taken by the next call.
        this.cursor = Math.min(this.cursor, index)
        reject(new Error(`no message arrived within ${timeoutMs} ms (${this.items.length} so far)`))
      }, timeoutMs)
      this.waiters.push(waiter)
    })
  }

  /** Waits until at least `count` messages arrived in all. */
  async waitFor(count: number, timeoutMs = 5000): Promise<CapturedMessage[]> {
    const deadline = Date.now() + timeoutMs
    while (this.items.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} messages, got ${this.items.length} within ${timeoutMs} ms`)
      await new Promise((r) => setTimeout(r, 5))
    }
    return this.all()
  }
}

/** `now` is the host's clock, so that `at` is in test time. */
export function captureAdapter(sent: SentMessages, now: () => number = Date.now) {
  return defineAdapter({
    type: 'capture',
    description: 'Records messages for tests',
    config: z.object({ type: z.literal('capture').optional() }).strict(),
    create(_settings, context) {
      return {
        name: context.name,
        type: 'capture',
        async send(channel, message, { messageId, attempt }) {
          if (sent.failNext > 0) {
            sent.failNext--
            throw new SendError('injected failure', { retryable: true, httpStatus: 503 })
          }
          sent.record({ chatKey: `${context.name}-${channel}`, channel, message, messageId, attempt, at: now() })
        },
      }
    },
  })
}
