// HMAC signature verifiers over the raw body: generic, GitHub, Gitea/Forgejo.
import { createHmac, timingSafeEqual } from 'node:crypto'
import { HookcatError } from '../../util/errors.js'
import { header, listSecrets, requireSecrets } from './secrets.js'
import type { SecretSource, Verifier, VerifyInput } from './types.js'

export type HmacAlgorithm = 'sha1' | 'sha256' | 'sha512'
export type HmacEncoding = 'hex' | 'base64'

const DIGEST_BYTES: Record<HmacAlgorithm, number> = { sha1: 20, sha256: 32, sha512: 64 }
const HEX = /^[0-9a-fA-F]+$/
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/

export interface HmacOptions {
  /** Header that carries the signature, e.g. "x-signature". */
  header: string
  algorithm?: HmacAlgorithm
  encoding?: HmacEncoding
  /** Text before the digest, e.g. "sha256=". */
  prefix?: string
  /** Header with a timestamp that is signed as "<timestamp><separator><body>". */
  timestampHeader?: string
  timestampSeparator?: string
  /** Allowed clock difference for timestampHeader, in seconds (default 300). */
  toleranceSeconds?: number
  /** Header with the sender's delivery id. */
  deliveryIdHeader?: string
  scheme?: string
  description?: string
}

/** Decodes a provided digest, or says it is malformed (400) — distinct from a wrong one (401). */
export function decodeDigest(text: string, encoding: HmacEncoding, bytes: number, headerName: string): Buffer {
  const ok = encoding === 'hex' ? text.length === bytes * 2 && HEX.test(text) : BASE64.test(text) && Buffer.from(text, 'base64').length === bytes
  if (!ok) throw new HookcatError('SIGNATURE_MALFORMED', `The ${headerName} header does not hold a ${encoding} digest of the expected length`)
  return Buffer.from(text, encoding)
}

/** True when any secret's HMAC over the parts equals the provided digest; every secret is tried, in constant time each. */
export function hmacMatches(secrets: string[], algorithm: HmacAlgorithm, parts: Array<Buffer | string>, provided: Buffer): boolean {
  let matched = false
  for (const secret of secrets) {
    const mac = createHmac(algorithm, secret)
    for (const part of parts) mac.update(part)
    if (timingSafeEqual(mac.digest(), provided)) matched = true
  }
  return matched
}

export function checkTimestamp(value: string | undefined, nowMs: number, toleranceSeconds: number, headerName: string): void {
  if (value === undefined || value === '') throw new HookcatError('UNAUTHORIZED', `The ${headerName} header is missing`)
  if (!/^\d{1,13}$/.test(value)) throw new HookcatError('SIGNATURE_MALFORMED', `The ${headerName} header is not a Unix timestamp`)
  let seconds = Number(value)
  if (value.length > 11) seconds = Math.floor(seconds / 1000) // milliseconds
  if (Math.abs(nowMs / 1000 - seconds) > toleranceSeconds) {
    throw new HookcatError('TIMESTAMP_OUT_OF_TOLERANCE', `The ${headerName} timestamp is more than ${toleranceSeconds} s away from now`)
  }
}

/** A generic HMAC check: covers the page's X-Signature example and most home-made senders. */
export function hmac(secret: SecretSource, options: HmacOptions): Verifier {
  const algorithm = options.algorithm ?? 'sha256'
  const encoding = options.encoding ?? 'hex'
  const headerName = options.header.toLowerCase()
  const prefix = options.prefix ?? ''
  const tsHeader = options.timestampHeader?.toLowerCase()
  const separator = options.timestampSeparator ?? '.'
  const tolerance = options.toleranceSeconds ?? 300
  const idHeader = options.deliveryIdHeader?.toLowerCase()
  if (!DIGEST_BYTES[algorithm]) throw new TypeError(`Unsupported HMAC algorithm "${algorithm}"`)
  return {
    scheme: options.scheme ?? 'hmac',
    description: options.description ?? `${options.header}: ${prefix}<${encoding} HMAC-${algorithm.toUpperCase()} of the body>`,
    secretField: typeof secret === 'string' ? secret : undefined,
    hasSecret: (config) => listSecrets(secret, config).length > 0,
    verify(input: VerifyInput) {
      const secrets = requireSecrets(secret, input.config)
      const value = header(input.headers, headerName)
      if (value === undefined || value === '') throw new HookcatError('UNAUTHORIZED', `The ${options.header} header is missing`)
      if (prefix && !value.startsWith(prefix)) throw new HookcatError('SIGNATURE_MALFORMED', `The ${options.header} header must start with "${prefix}"`)
      const provided = decodeDigest(value.slice(prefix.length), encoding, DIGEST_BYTES[algorithm], options.header)
      const parts: Array<Buffer | string> = []
      if (tsHeader) {
        const ts = header(input.headers, tsHeader)
        checkTimestamp(ts, input.now, tolerance, options.timestampHeader!)
        parts.push(`${ts}${separator}`)
      }
      parts.push(input.raw)
      if (!hmacMatches(secrets, algorithm, parts, provided)) throw new HookcatError('SIGNATURE_INVALID', `The ${options.header} signature does not match the body`)
      return idHeader ? { deliveryId: header(input.headers, idHeader) } : undefined
    },
  }
}

/** GitHub: X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>. */
export function github(secret: SecretSource): Verifier {
  return hmac(secret, {
    header: 'X-Hub-Signature-256',
    prefix: 'sha256=',
    deliveryIdHeader: 'x-github-delivery',
    scheme: 'github',
    description: 'GitHub X-Hub-Signature-256 (HMAC-SHA256 of the raw body)',
  })
}

/** Gitea and Forgejo: X-Gitea-Signature or X-Forgejo-Signature, hex HMAC-SHA256 with no prefix. */
export function gitea(secret: SecretSource): Verifier {
  const forgejo = hmac(secret, { header: 'X-Forgejo-Signature', deliveryIdHeader: 'x-forgejo-delivery', scheme: 'gitea' })
  const giteaSig = hmac(secret, { header: 'X-Gitea-Signature', deliveryIdHeader: 'x-gitea-delivery', scheme: 'gitea' })
  return {
    scheme: 'gitea',
    description: 'Gitea X-Gitea-Signature / Forgejo X-Forgejo-Signature (hex HMAC-SHA256 of the raw body)',
    secretField: typeof secret === 'string' ? secret : undefined,
    hasSecret: giteaSig.hasSecret,
    verify(input) {
      return input.headers['x-forgejo-signature'] !== undefined && input.headers['x-gitea-signature'] === undefined
        ? forgejo.verify(input)
        : giteaSig.verify(input)
    },
  }
}
