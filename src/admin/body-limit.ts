// The admin API's body limit: 413 beyond 1 MiB for any framing (Content-Length, chunked, none), without rebuilding the Request.
import type { MiddlewareHandler } from 'hono'
import { HookcatError } from '../util/errors.js'

/**
 * Hono's bodyLimit rebuilds the request with the global Request class, which is not the class @hono/node-server
 * hands us (overrideGlobalObjects: false), and that 500ed every chunked body. Here a chunked body is read within the
 * limit and put in Hono's body cache, from which c.req.text() / json() / arrayBuffer() read it.
 */
export function limitBody(maxSize: number, message: string): MiddlewareHandler {
  const tooLarge = () => new HookcatError('BODY_TOO_LARGE', message)
  return async (c, next) => {
    const raw = c.req.raw
    if (!raw.body) return next()
    const declared = raw.headers.get('content-length')
    if (declared !== null && !raw.headers.has('transfer-encoding')) {
      if (!/^\d+$/.test(declared)) throw new HookcatError('BAD_REQUEST', 'Content-Length is not a valid number')
      if (Number(declared) > maxSize) throw tooLarge()
      return next()
    }
    const reader = raw.body.getReader()
    const chunks: Uint8Array[] = []
    let size = 0
    for (;;) {
      let step: Awaited<ReturnType<typeof reader.read>>
      try {
        step = await reader.read()
      } catch {
        throw new HookcatError('BAD_REQUEST', 'The request body could not be read')
      }
      if (step.done) break
      size += step.value.length
      if (size > maxSize) {
        void reader.cancel().catch(() => undefined)
        throw tooLarge()
      }
      chunks.push(step.value)
    }
    const bytes = Buffer.concat(chunks, size)
    // Hono keeps promises in bodyCache although its type names the values.
    ;(c.req.bodyCache as Record<string, unknown>).arrayBuffer = Promise.resolve(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer)
    return next()
  }
}
