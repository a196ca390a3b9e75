// Reading what a platform POSTs to hookcat (OneBot events, Telegram updates): the whole body, bounded.
import type { IncomingMessage } from 'node:http'

export const INBOUND_LIMIT = 1024 * 1024

/** The body, or undefined when it is larger than the limit or the connection failed (the rest is drained). */
export function readInbound(req: IncomingMessage, limit = INBOUND_LIMIT): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= limit) chunks.push(chunk)
    })
    req.on('end', () => resolve(size > limit ? undefined : Buffer.concat(chunks)))
    req.on('error', () => resolve(undefined))
  })
}
