// Turning what a handler returned (value, reply(), Response) into status, headers and body bytes.
import type { HandlerOutcome } from '../../storage/types.js'
import { errorBody, HookcatError, isHookcatError } from '../../util/errors.js'

const REPLY_BRAND = Symbol.for('hookcat.reply')

/** What a handler says a delivery came to, kept in the delivery log with its reason. */
export interface OutcomeMark {
  outcome: HandlerOutcome
  reason: string
}

const OUTCOME = Symbol.for('hookcat.outcome')

/** A plain answer carrying the handler's word on the delivery; the mark survives `{ ...result }` and never reaches the JSON. */
export type MarkedResult<Fields extends object = object> = { status: string; reason: string } & Fields & { readonly [OUTCOME]: OutcomeMark }

/** An explicit answer: exactly this status, body and headers. */
export class WebhookReply {
  readonly [REPLY_BRAND] = true
  constructor(
    readonly status: number,
    readonly body?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    if (!Number.isInteger(status) || status < 200 || status > 599) throw new RangeError(`reply() status must be an HTTP status from 200 to 599, not ${status}`)
  }
}

const MAX_REASON = 500

function marked<Fields extends object>(outcome: HandlerOutcome, reason: string, fields?: Fields): MarkedResult<Fields> {
  const why = String(reason ?? '').replace(/\s+/g, ' ').trim().slice(0, MAX_REASON) || outcome
  const result = { status: outcome, reason: why, ...fields }
  Object.defineProperty(result, OUTCOME, { value: { outcome, reason: why }, enumerable: true })
  return result as MarkedResult<Fields>
}

/**
 * reply(401, { error: 'bad signature' }) — the page's `return body, 401`, done so that the status is really sent.
 * reply.ignored(reason) / reply.filtered(reason): a 200 JSON answer `{ status, reason, ...fields }` that marks the
 * delivery as ignored (nothing to do for this event) or filtered (the config's rules dropped it), with the reason.
 */
export const reply = Object.assign(
  function reply(status: number, body?: unknown, headers?: Record<string, string>): WebhookReply {
    return new WebhookReply(status, body, headers)
  },
  {
    ignored: <Fields extends object = object>(reason: string, fields?: Fields): MarkedResult<Fields> => marked('ignored', reason, fields),
    filtered: <Fields extends object = object>(reason: string, fields?: Fields): MarkedResult<Fields> => marked('filtered', reason, fields),
  },
)

export interface HttpAnswer {
  status: number
  headers: Record<string, string>
  body: Buffer
  /** Set by reply.ignored() / reply.filtered(). */
  outcome?: OutcomeMark
}

const JSON_TYPE = 'application/json; charset=utf-8'

function isReply(value: unknown): value is WebhookReply {
  return !!value && typeof value === 'object' && (value as Record<symbol, unknown>)[REPLY_BRAND] === true
}

function isResponse(value: unknown): value is Response {
  if (value instanceof Response) return true
  const v = value as Response | null
  return !!v && typeof v === 'object' && typeof v.status === 'number' && typeof v.arrayBuffer === 'function' && typeof v.headers?.forEach === 'function'
}

function encodeBody(body: unknown, headers: Record<string, string>): Buffer {
  const hasType = Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')
  if (body === undefined || body === null) return Buffer.alloc(0)
  if (Buffer.isBuffer(body) || body instanceof Uint8Array) {
    if (!hasType) headers['content-type'] = 'application/octet-stream'
    return Buffer.from(body)
  }
  if (typeof body === 'string') {
    if (!hasType) headers['content-type'] = 'text/plain; charset=utf-8'
    return Buffer.from(body)
  }
  if (!hasType) headers['content-type'] = JSON_TYPE
  return Buffer.from(JSON.stringify(body))
}

/** A handler's result as an HTTP answer. Plain values are 200 JSON (undefined is {"ok":true}). */
export async function toAnswer(result: unknown): Promise<HttpAnswer> {
  if (isReply(result)) {
    const headers = { ...result.headers }
    return { status: result.status, headers, body: encodeBody(result.body, headers) }
  }
  if (isResponse(result)) {
    const headers: Record<string, string> = {}
    result.headers.forEach((value, name) => {
      headers[name] = value
    })
    return { status: result.status, headers, body: Buffer.from(await result.arrayBuffer()) }
  }
  const body = result === undefined ? { ok: true } : result
  let text: string
  try {
    text = JSON.stringify(body)
  } catch {
    throw new HookcatError('HANDLER_ERROR', 'The handler returned a value that cannot be sent as JSON')
  }
  const answer: HttpAnswer = { status: 200, headers: { 'content-type': JSON_TYPE }, body: Buffer.from(text ?? 'null') }
  const mark = body && typeof body === 'object' ? (body as { [OUTCOME]?: OutcomeMark })[OUTCOME] : undefined
  if (mark) answer.outcome = mark
  return answer
}

/** A thrown error as an answer: HookcatErrors keep their code and status; anything else is a bare 500. */
export function errorAnswer(error: unknown): HttpAnswer {
  const { status, body, headers } = errorBody(isHookcatError(error) ? error : new HookcatError('HANDLER_ERROR'))
  return { status, headers: { 'content-type': JSON_TYPE, ...headers }, body: Buffer.from(body) }
}
