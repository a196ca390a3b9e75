// The verifier contract: a check over the raw request that passes, or throws a HookcatError saying why not.
import type { IncomingHttpHeaders } from 'node:http'

export interface VerifyInput {
  /** The exact bytes received; every signature is computed over these. */
  raw: Buffer
  /** Header names are lower case. */
  headers: IncomingHttpHeaders
  method: string
  /** Path and query as received. */
  url: string
  query: URLSearchParams
  /** The plugin's validated config, for secrets named by field. */
  config: Record<string, unknown>
  /** Milliseconds since the epoch; injectable so that tests can move the clock. */
  now: number
  /** The host's admin token, for webhooks that only the operator may call (verify.admin()). */
  adminToken: string
}

/** What a check sees before the body has arrived: everything of VerifyInput but the body. */
export type VerifyHead = Omit<VerifyInput, 'raw'>

/**
 * A check begun on the request head. `update` is fed each chunk of the body as it streams (HMAC schemes); a check
 * without `update` needs no body (Bearer, Basic, URL token, GitLab token, admin) and has already decided.
 */
export interface BodyCheck {
  update?(chunk: Buffer): void
  /** After the last chunk: the result, or throws why not. */
  finish(): VerifyResult | void
}

/** Longest sender delivery id of any scheme (Standard Webhooks allows 256); longer ones are refused with 400. */
export const MAX_DELIVERY_ID = 256

export interface VerifyResult {
  /** The sender's delivery id, when the scheme carries one (used for dedup). */
  deliveryId?: string
}

/** Where a secret comes from: a config field name (dot path) or a function; several values allow rotation. */
export type SecretSource = string | (() => string | readonly string[] | undefined | null)

export interface Verifier {
  /** Short scheme name: github, gitea, gitlab, hmac, bearer, basic, … */
  readonly scheme: string
  /** One line for people: which header and algorithm it checks. */
  readonly description: string
  /** The config field that holds the secret, when it is named by field. */
  readonly secretField?: string
  /** Whether a secret is available now (for the UI and for public webhooks). */
  hasSecret(config: Record<string, unknown>): boolean
  /** When present, the check runs only for these methods (e.g. a public GET beside a signed POST). */
  readonly methods?: readonly string[]
  verify(input: VerifyInput): VerifyResult | void
  /**
   * Optional streaming form of verify(): checks the head now (a throw refuses the request before its body is read)
   * and returns a check fed the body as it arrives. Verifiers without it get verify() over the whole body.
   */
  begin?(head: VerifyHead): BodyCheck
}
