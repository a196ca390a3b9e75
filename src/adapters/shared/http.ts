// Outgoing HTTP for adapters: keep-alive agents per instance, the send timeout's signal, platform answers as SendErrors.
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import { SendError } from '../../host/outbox/adapter.js'
import { scrubSecrets } from '../../util/redact.js'

export interface HttpAnswer {
  status: number
  headers: IncomingHttpHeaders
  text: string
}

export interface HttpInit {
  method?: string
  headers?: Record<string, string>
  body?: string | Buffer
  signal: AbortSignal
}

const MAX_ANSWER = 256 * 1024

/**
 * One keep-alive connection pool per adapter instance: node:http costs a tenth of global fetch per request
 * (reference/performance.md), and a dispatcher sends thousands of messages. As many idle sockets are kept as may
 * be busy, so that a burst does not end in closing and reopening connections.
 */
export class HttpClient {
  private readonly http = new HttpAgent({ keepAlive: true, maxSockets: 16, maxFreeSockets: 16, timeout: 60_000 })
  private readonly https = new HttpsAgent({ keepAlive: true, maxSockets: 16, maxFreeSockets: 16, timeout: 60_000 })

  /** secrets: credentials of the instance, scrubbed from every error text (URLs with tokens included). */
  constructor(readonly secrets: string[]) {}

  scrub(text: string): string {
    return scrubSecrets(text, this.secrets)
  }

  request(url: string, init: HttpInit): Promise<HttpAnswer> {
    const target = new URL(url)
    const secure = target.protocol === 'https:'
    const body = init.body === undefined ? undefined : Buffer.isBuffer(init.body) ? init.body : Buffer.from(init.body)
    return new Promise<HttpAnswer>((resolve, reject) => {
      if (init.signal.aborted) return reject(new SendError('send timed out', { retryable: true }))
      const req = (secure ? httpsRequest : httpRequest)(
        target,
        {
          method: init.method ?? 'POST',
          agent: secure ? this.https : this.http,
          headers: { ...(body ? { 'content-length': String(body.length) } : {}), ...init.headers },
        },
        (res) => {
          const chunks: Buffer[] = []
          let size = 0
          res.on('data', (chunk: Buffer) => {
            size += chunk.length
            if (size <= MAX_ANSWER) chunks.push(chunk)
          })
          res.on('end', () => {
            init.signal.removeEventListener('abort', onAbort)
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') })
          })
          res.on('error', fail)
        },
      )
      const onAbort = (): void => {
        req.destroy()
        reject(new SendError('send timed out (no answer within the send timeout)', { retryable: true }))
      }
      function fail(error: NodeJS.ErrnoException): void {
        init.signal.removeEventListener('abort', onAbort)
        // The URL may hold a token: the error names only the failure, never the address.
        reject(new SendError(`connection failed: ${error.code ?? 'error'}`, { retryable: true, cause: error }))
      }
      init.signal.addEventListener('abort', onAbort, { once: true })
      req.on('error', (error) => (init.signal.aborted ? undefined : fail(error)))
      req.end(body)
    })
  }

  postJson(url: string, payload: unknown, init: Omit<HttpInit, 'body' | 'method'>): Promise<HttpAnswer> {
    return this.request(url, { ...init, method: 'POST', body: JSON.stringify(payload), headers: { 'content-type': 'application/json; charset=utf-8', ...init.headers } })
  }

  close(): void {
    this.http.destroy()
    this.https.destroy()
  }
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterHeader(headers: IncomingHttpHeaders, now = Date.now()): number | undefined {
  const value = headers['retry-after']
  if (typeof value !== 'string' || value.trim() === '') return undefined
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000)
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

/** Bounded, scrubbed platform text for last_error and the attempt log. */
export function platformText(client: HttpClient, text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return client.scrub(flat.length > 500 ? `${flat.slice(0, 500)}…` : flat)
}

/**
 * The SendError for an HTTP answer that is not a success, or undefined for 2xx. 429, 408 and 5xx are retried
 * (waiting as long as the platform asks); other 4xx mean the request itself is wrong and are not.
 */
export function httpError(client: HttpClient, answer: HttpAnswer, options: { retryAfterMs?: number; detail?: string } = {}): SendError | undefined {
  const { status } = answer
  if (status >= 200 && status < 300) return undefined
  const retryAfterMs = options.retryAfterMs ?? retryAfterHeader(answer.headers)
  const detail = platformText(client, options.detail ?? answer.text)
  const message = `HTTP ${status}${detail ? `: ${detail}` : ''}`
  const retryable = status === 429 || status === 408 || status === 425 || status >= 500
  return new SendError(message, { retryable, retryAfterMs: retryable ? retryAfterMs : undefined, httpStatus: status })
}

/** A start-up probe's call: the platform's JSON answer, or an error whose message is scrubbed of credentials. */
export async function probeJson<T>(client: HttpClient, answer: () => Promise<HttpAnswer>): Promise<T> {
  let got: HttpAnswer
  try {
    got = await answer()
  } catch (error) {
    throw new Error(platformText(client, (error as Error).message))
  }
  const failed = httpError(client, got)
  if (failed) throw new Error(failed.message)
  return jsonAnswer<T>(client, got)
}

/** Parses a JSON answer; a platform that answers 2xx with something else is a retryable error (a proxy page, a cut body). */
export function jsonAnswer<T>(client: HttpClient, answer: HttpAnswer): T {
  try {
    return JSON.parse(answer.text) as T
  } catch {
    throw new SendError(`HTTP ${answer.status}: the platform's answer is not JSON: ${platformText(client, answer.text.slice(0, 200))}`, { retryable: true, httpStatus: answer.status })
  }
}
