// Reads a request body into one Buffer, refusing early (413) when it is or becomes larger than allowed; each chunk can be seen as it streams.
import type { IncomingMessage } from 'node:http'
import { HookcatError } from '../../util/errors.js'

const EMPTY = Buffer.alloc(0)
/** Bodies announced larger than this are copied into one buffer as they arrive, so that they are never held twice (chunks + concat). */
const PREALLOCATE_FROM = 64 * 1024

/** The declared Content-Length, checked against the limit (400 when it is not a number, 413 when too large); undefined when chunked. */
export function declaredLength(req: IncomingMessage, limit: number): number | undefined {
  const declared = req.headers['content-length']
  if (declared === undefined) return undefined
  const length = Number(declared)
  if (!Number.isSafeInteger(length) || length < 0) throw new HookcatError('BAD_REQUEST', 'Content-Length is not a valid number')
  if (length > limit) throw new HookcatError('BODY_TOO_LARGE', `The body is ${length} bytes; this webhook accepts at most ${limit}`)
  return length
}

/**
 * Reads the body; `onChunk` sees every chunk before it is kept (incremental signature checks, the unverified-body
 * budget) and may throw to stop reading with that error.
 */
export function readBody(req: IncomingMessage, limit: number, onChunk?: (chunk: Buffer) => void): Promise<Buffer> {
  let declared: number | undefined
  try {
    declared = declaredLength(req, limit)
    if (declared === 0) return Promise.resolve(EMPTY)
  } catch (error) {
    return Promise.reject(error)
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    // Node enforces Content-Length framing, so a body announced with a length never outgrows this buffer.
    const whole = declared !== undefined && declared > PREALLOCATE_FROM ? Buffer.allocUnsafe(declared) : undefined
    let size = 0
    let done = false
    const finish = (error?: Error) => {
      if (done) return
      done = true
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('error', onError)
      req.off('aborted', onAborted)
      if (error) reject(error)
      else if (whole) resolve(size === whole.length ? whole : whole.subarray(0, size))
      else resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size))
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        finish(new HookcatError('BODY_TOO_LARGE', `The body is larger than ${limit} bytes, the most this webhook accepts`))
        req.resume()
        return
      }
      if (onChunk) {
        try {
          onChunk(chunk)
        } catch (error) {
          finish(error as Error)
          req.resume()
          return
        }
      }
      if (whole && size <= whole.length) chunk.copy(whole, size - chunk.length)
      else chunks.push(chunk)
    }
    const onEnd = () => finish()
    const onError = (error: Error) => finish(new HookcatError('BAD_REQUEST', 'The request body could not be read', { cause: error }))
    const onAborted = () => finish(new HookcatError('BAD_REQUEST', 'The client aborted the request'))
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', onError)
    req.on('aborted', onAborted)
  })
}
