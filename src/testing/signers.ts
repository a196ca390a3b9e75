// Signs a test webhook the way a named sender does (GitHub, GitLab, Standard Webhooks, generic HMAC, Bearer).
import { createHmac, randomUUID, type BinaryToTextEncoding } from 'node:crypto'
import type { HmacOptions } from '../host/verify/hmac.js'

/** What a signer produces: the exact bytes to send and the headers that go with them. */
export interface SignedRequest {
  body: Buffer
  headers: Record<string, string>
}

/** A body as given by a test: an object is encoded as JSON once, and those exact bytes are signed and sent. */
export function bodyBytes(payload: unknown): { body: Buffer; json: boolean } {
  if (Buffer.isBuffer(payload)) return { body: payload, json: false }
  if (payload instanceof Uint8Array) return { body: Buffer.from(payload), json: false }
  if (typeof payload === 'string') return { body: Buffer.from(payload, 'utf8'), json: false }
  return { body: Buffer.from(JSON.stringify(payload ?? {}), 'utf8'), json: true }
}

function digest(algorithm: string, key: string | Buffer, parts: Array<string | Buffer>, encoding: BinaryToTextEncoding): string {
  const mac = createHmac(algorithm, key)
  for (const part of parts) mac.update(part)
  return mac.digest(encoding)
}

function base(payload: unknown, extra: Record<string, string> = {}): SignedRequest {
  const { body, json } = bodyBytes(payload)
  return { body, headers: { ...(json ? { 'content-type': 'application/json' } : {}), ...extra } }
}

export interface GithubSignOptions {
  secret: string
  /** X-GitHub-Delivery; a new UUID when absent (each call is a new delivery). */
  deliveryId?: string
  /** Adds the legacy X-Hub-Signature (HMAC-SHA1) header as GitHub still does. */
  sha1?: boolean
}

/** GitHub: X-Hub-Signature-256 over the raw bytes, X-GitHub-Event and X-GitHub-Delivery. */
export function signGithub(event: string, payload: unknown, options: GithubSignOptions): SignedRequest {
  const signed = base(payload, { 'x-github-event': event, 'x-github-delivery': options.deliveryId ?? randomUUID(), 'user-agent': 'GitHub-Hookshot/hookcat-test' })
  signed.headers['x-hub-signature-256'] = `sha256=${digest('sha256', options.secret, [signed.body], 'hex')}`
  if (options.sha1) signed.headers['x-hub-signature'] = `sha1=${digest('sha1', options.secret, [signed.body], 'hex')}`
  return signed
}

export interface GitlabSignOptions {
  /** X-Gitlab-Token: GitLab sends the secret token as is. */
  token?: string
  /** GitLab's signing token ("whsec_…"): signs the request the Standard Webhooks way. */
  signingToken?: string
  /** X-Gitlab-Event-UUID (and webhook-id / Idempotency-Key when signing); a new UUID when absent. */
  deliveryId?: string
  /** Milliseconds since the epoch for webhook-timestamp; the test host passes its clock. */
  now?: number
}

/** GitLab: X-Gitlab-Event (e.g. "Push Hook"), X-Gitlab-Event-UUID, and X-Gitlab-Token and/or the signing token's signature. */
export function signGitlab(event: string, payload: unknown, options: GitlabSignOptions): SignedRequest {
  if (options.token === undefined && options.signingToken === undefined) throw new TypeError('signGitlab needs a token, a signingToken, or both')
  const id = options.deliveryId ?? randomUUID()
  const signed = options.signingToken !== undefined ? signStandardWebhooks(payload, { secret: options.signingToken, id, now: options.now }) : base(payload)
  Object.assign(signed.headers, { 'x-gitlab-event': event, 'x-gitlab-event-uuid': id })
  if (options.signingToken !== undefined) signed.headers['idempotency-key'] = id
  if (options.token !== undefined) signed.headers['x-gitlab-token'] = options.token
  return signed
}

export interface StandardWebhooksSignOptions {
  /** "whsec_<base64 key>" as Standard Webhooks and Svix issue them; a bare base64 key works too. */
  secret: string
  /** webhook-id; a new id when absent. */
  id?: string
  /** Milliseconds since the epoch; the test host passes its clock. */
  now?: number
}

/** Standard Webhooks: webhook-signature "v1,<base64 HMAC-SHA256 of id.timestamp.body>" with the decoded key. */
export function signStandardWebhooks(payload: unknown, options: StandardWebhooksSignOptions): SignedRequest {
  const id = options.id ?? `msg_${randomUUID().replace(/-/g, '')}`
  const timestamp = String(Math.floor((options.now ?? Date.now()) / 1000))
  const key = Buffer.from(options.secret.startsWith('whsec_') ? options.secret.slice('whsec_'.length) : options.secret, 'base64')
  const signed = base(payload, { 'webhook-id': id, 'webhook-timestamp': timestamp })
  signed.headers['webhook-signature'] = `v1,${digest('sha256', key, [`${id}.${timestamp}.`, signed.body], 'base64')}`
  return signed
}

/** The same options a verify.hmac() verifier takes, plus the secret: the signer mirrors the verifier. */
export type HmacSignOptions = Pick<HmacOptions, 'header' | 'algorithm' | 'encoding' | 'prefix' | 'timestampHeader' | 'timestampSeparator'> & {
  secret: string
  now?: number
}

/** A generic HMAC signature over the raw bytes (optionally "<timestamp><separator><body>"). */
export function signHmac(payload: unknown, options: HmacSignOptions): SignedRequest {
  const signed = base(payload)
  const parts: Array<string | Buffer> = []
  if (options.timestampHeader) {
    const timestamp = String(Math.floor((options.now ?? Date.now()) / 1000))
    signed.headers[options.timestampHeader.toLowerCase()] = timestamp
    parts.push(`${timestamp}${options.timestampSeparator ?? '.'}`)
  }
  parts.push(signed.body)
  const value = digest(options.algorithm ?? 'sha256', options.secret, parts, options.encoding ?? 'hex')
  signed.headers[options.header.toLowerCase()] = `${options.prefix ?? ''}${value}`
  return signed
}

/** Authorization: Bearer <token>. */
export function signBearer(payload: unknown, token: string): SignedRequest {
  return base(payload, { authorization: `Bearer ${token}` })
}
