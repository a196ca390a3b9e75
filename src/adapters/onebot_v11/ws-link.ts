// One OneBot WebSocket connection (forward or reverse): API calls as {action, params, echo} matched by echo, events out.
import { randomUUID } from 'node:crypto'
import type { WebSocket } from 'ws'
import { SendError } from '../../host/outbox/adapter.js'
import type { OneBotAnswer, OneBotEvent } from './events.js'

const MAX_PENDING = 1000

/**
 * The frame was written but its answer never came (the link closed, the call timed out or was aborted): the
 * implementation may or may not have acted on it. Retryable like any lost call; a send checks before it repeats.
 */
export class UnansweredCall extends SendError {
  constructor(message: string) {
    super(message, { retryable: true })
    this.name = 'UnansweredCall'
  }
}

export class WsLink {
  private readonly pending = new Map<string, { resolve: (a: OneBotAnswer) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>()
  readonly connectedAt = Date.now()
  lastHeartbeatAt?: number
  selfId?: string

  constructor(
    readonly socket: WebSocket,
    private readonly parse: (raw: string) => OneBotEvent,
    onEvent: (event: OneBotEvent, link: WsLink) => void,
    onClose: (link: WsLink) => void,
  ) {
    socket.on('message', (data, isBinary) => {
      if (isBinary) return onEvent({ kind: 'malformed', why: 'binary frame' }, this)
      const event = this.parse(data.toString())
      if (event.kind === 'response') return this.answer(event.echo, event.body)
      if (event.kind === 'heartbeat') this.lastHeartbeatAt = Date.now()
      if ((event.kind === 'heartbeat' || event.kind === 'lifecycle' || event.kind === 'message') && !this.selfId) this.selfId = event.selfId
      onEvent(event, this)
    })
    socket.on('close', () => {
      for (const [echo, call] of this.pending) {
        clearTimeout(call.timer)
        // The frame was handed to the socket: the implementation may or may not have acted on it.
        call.reject(new UnansweredCall('the OneBot WebSocket closed before the answer'))
        this.pending.delete(echo)
      }
      onClose(this)
    })
    socket.on('error', () => socket.terminate())
  }

  get open(): boolean {
    return this.socket.readyState === this.socket.OPEN
  }

  call(action: string, params: unknown, timeoutMs: number, signal?: AbortSignal): Promise<OneBotAnswer> {
    if (!this.open) return Promise.reject(new SendError('the OneBot WebSocket is not connected', { retryable: true }))
    if (this.pending.size >= MAX_PENDING) return Promise.reject(new SendError('too many OneBot calls waiting for an answer', { retryable: true }))
    const echo = randomUUID()
    return new Promise<OneBotAnswer>((resolve, reject) => {
      const fail = (error: Error) => {
        const call = this.pending.get(echo)
        if (!call) return
        clearTimeout(call.timer)
        this.pending.delete(echo)
        signal?.removeEventListener('abort', onAbort)
        reject(error)
      }
      const onAbort = () => fail(new UnansweredCall('send timed out'))
      const timer = setTimeout(() => fail(new UnansweredCall(`no answer to ${action} within ${timeoutMs} ms`)), timeoutMs)
      this.pending.set(echo, {
        resolve: (a) => {
          signal?.removeEventListener('abort', onAbort)
          resolve(a)
        },
        reject,
        timer,
      })
      signal?.addEventListener('abort', onAbort, { once: true })
      this.socket.send(JSON.stringify({ action, params, echo }), (error) => {
        // A frame that did not reach the socket whole cannot have been read: a plain failure, sent again as is.
        if (error) fail(new SendError('could not write to the OneBot WebSocket', { retryable: true }))
      })
    })
  }

  close(code = 1001): void {
    this.socket.close(code)
    setTimeout(() => this.socket.terminate(), 1000).unref()
  }

  private answer(echo: string, body: OneBotAnswer): void {
    const call = this.pending.get(echo)
    if (!call) return
    clearTimeout(call.timer)
    this.pending.delete(echo)
    call.resolve(body)
  }
}
