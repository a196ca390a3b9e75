// Server-Sent Events for live views: scrubbed JSON events, keep-alive comments, bounded lifetime, cleanup on disconnect.
import type { Context } from 'hono'
import { streamSSE } from 'hono/streaming'
import { scrubValue } from './scrub.js'

export interface SseEvent {
  event?: string
  id?: string
  data: unknown
}

export type SendEvent = (event: SseEvent) => Promise<void>

const KEEP_ALIVE_MS = 15_000
/** A stream ends after this long; the UI reconnects with a fresh ticket and resumes from the last id it saw. */
const MAX_LIFETIME_MS = 30 * 60_000

export interface StreamRegistry {
  /** Ends every open stream (the host is stopping). */
  closeAll(): void
  readonly size: number
}

export function createStreamRegistry(): StreamRegistry & { add(end: () => void): () => void } {
  const open = new Set<() => void>()
  return {
    add(end) {
      open.add(end)
      return () => open.delete(end)
    },
    closeAll() {
      for (const end of [...open]) end()
    },
    get size() {
      return open.size
    },
  }
}

/**
 * Opens an SSE answer; `start` subscribes and returns its unsubscribe. Events are written in order, each scrubbed
 * of secrets; the stream ends when the client goes, after MAX_LIFETIME_MS, or when the registry closes it.
 */
export function openStream(
  c: Context,
  registry: ReturnType<typeof createStreamRegistry>,
  secrets: () => string[],
  start: (send: SendEvent) => Promise<(() => void) | void>,
): Response {
  c.header('x-accel-buffering', 'no')
  return streamSSE(c, async (stream) => {
    let finish: () => void = () => undefined
    const finished = new Promise<void>((resolve) => (finish = resolve))
    stream.onAbort(() => finish())
    const lifetime = setTimeout(() => finish(), MAX_LIFETIME_MS)
    const unregister = registry.add(() => finish())
    const send: SendEvent = async ({ event, id, data }) => {
      if (stream.aborted || stream.closed) return
      await stream.writeSSE({ event, id, data: JSON.stringify(scrubValue(data, secrets())) })
    }
    // An SSE comment right away lets the browser see the stream open before the first event.
    await stream.write(': connected\n\n')
    const stop = await start(send)
    const keepAlive = setInterval(() => void stream.write(': keep-alive\n\n').catch(() => finish()), KEEP_ALIVE_MS)
    try {
      await finished
    } finally {
      clearInterval(keepAlive)
      clearTimeout(lifetime)
      unregister()
      stop?.()
    }
  })
}
