// The request a webhook handler receives: Fetch-like, with the exact raw bytes, query, params and delivery id.
import type { IncomingHttpHeaders } from 'node:http'
import { HookcatError } from '../../util/errors.js'
import { RequestHeaders } from './headers.js'

export interface WebhookRequestInit {
  method: string
  /** Absolute URL of the request as the client addressed it. */
  url: string
  /** The part of the path after /webhook, e.g. "/long-process/42". */
  path: string
  params: Record<string, string>
  headers: IncomingHttpHeaders
  raw: Buffer
  clientAddress: string
  deliveryId: string
  /** The sender's own delivery id (X-GitHub-Delivery, webhook-id, …), when it sent one. */
  senderDeliveryId?: string
  /** 1 on the first run; more when an async delivery is retried or replayed. */
  attempt?: number
}

export class WebhookRequest {
  readonly method: string
  readonly url: string
  readonly path: string
  readonly params: Record<string, string>
  readonly headers: RequestHeaders
  /** The exact bytes the client sent. Verify signatures over these, never over re-encoded text. */
  readonly raw: Buffer
  readonly clientAddress: string
  readonly deliveryId: string
  readonly senderDeliveryId?: string
  readonly attempt: number
  private parsedJson?: { value: unknown }
  private searchParamsCache?: URLSearchParams

  constructor(init: WebhookRequestInit) {
    this.method = init.method
    this.url = init.url
    this.path = init.path
    this.params = init.params
    this.headers = new RequestHeaders(init.headers)
    this.raw = init.raw
    this.clientAddress = init.clientAddress
    this.deliveryId = init.deliveryId
    this.senderDeliveryId = init.senderDeliveryId
    this.attempt = init.attempt ?? 1
  }

  get searchParams(): URLSearchParams {
    this.searchParamsCache ??= new URL(this.url).searchParams
    return this.searchParamsCache
  }

  /** The query string as an object; a repeated parameter keeps its first value (all are in searchParams). */
  get query(): Record<string, string> {
    const out: Record<string, string> = {}
    for (const [key, value] of this.searchParams) if (!(key in out)) out[key] = value
    return out
  }

  get contentType(): string {
    return (this.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase()
  }

  async text(): Promise<string> {
    return this.raw.toString('utf8')
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return this.raw.buffer.slice(this.raw.byteOffset, this.raw.byteOffset + this.raw.byteLength) as ArrayBuffer
  }

  async bytes(): Promise<Uint8Array> {
    return new Uint8Array(this.raw)
  }

  async blob(): Promise<Blob> {
    return new Blob([this.raw], { type: this.headers.get('content-type') ?? '' })
  }

  /** The body parsed as JSON; a body that is not JSON is a 400 (INVALID_JSON), never a 500. */
  async json<T = unknown>(): Promise<T> {
    if (!this.parsedJson) {
      try {
        this.parsedJson = { value: JSON.parse(this.raw.toString('utf8')) }
      } catch {
        throw new HookcatError('INVALID_JSON')
      }
    }
    return this.parsedJson.value as T
  }

  /** multipart/form-data or application/x-www-form-urlencoded; files come as File objects. */
  async formData(): Promise<FormData> {
    const type = this.headers.get('content-type') ?? ''
    if (!/^(multipart\/form-data|application\/x-www-form-urlencoded)/i.test(type)) {
      throw new HookcatError('UNSUPPORTED_MEDIA_TYPE', 'Expected multipart/form-data or application/x-www-form-urlencoded')
    }
    try {
      return await new Response(this.raw, { headers: { 'content-type': type } }).formData()
    } catch {
      throw new HookcatError('INVALID_FORM')
    }
  }
}
