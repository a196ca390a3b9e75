// Shared HMAC machinery: decoding a provided digest strictly, and matching it against every live secret in constant time.
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto'
import { HookcatError } from '../../util/errors.js'
import { keyCache } from './secrets.js'
import type { BodyCheck, VerifyResult } from './types.js'

export type HmacAlgorithm = 'sha1' | 'sha256' | 'sha512'
export type HmacEncoding = 'hex' | 'base64' | 'base64url'

export const DIGEST_BYTES: Record<HmacAlgorithm, number> = { sha1: 20, sha256: 32, sha512: 64 }

const PATTERN: Record<HmacEncoding, RegExp> = {
  hex: /^[0-9a-fA-F]+$/,
  base64: /^[A-Za-z0-9+/]+={0,2}$/,
  base64url: /^[A-Za-z0-9_-]+={0,2}$/,
}

/**
 * Decodes a provided digest, or says it is malformed (400) — distinct from a wrong one (401). Only the canonical
 * text of a digest is accepted (padded base64, no stray bits), so one signature has one spelling.
 */
export function decodeDigest(text: string, encoding: HmacEncoding, bytes: number, headerName: string): Buffer {
  const decoded = PATTERN[encoding].test(text) ? Buffer.from(text, encoding) : undefined
  const canonical = decoded !== undefined && decoded.length === bytes && (encoding === 'hex' ? text.length === bytes * 2 : canonicalBase64(decoded, text, encoding))
  if (!canonical) throw new HookcatError('SIGNATURE_MALFORMED', `The ${headerName} header does not hold a ${encoding} ${bytes * 8}-bit digest`)
  return decoded
}

/** base64 must be exactly as encoded (padding included); base64url may leave its padding out, as it usually does. */
export function canonicalBase64(decoded: Buffer, text: string, encoding: 'base64' | 'base64url'): boolean {
  const again = decoded.toString(encoding)
  return encoding === 'base64' ? again === text : again === text.replace(/=+$/, '')
}

/** HMAC keys built once per secret; a string secret is used as its UTF-8 bytes, as every sender does. */
export const utf8Keys = (): ((secrets: string[]) => KeyObject[]) => keyCache((secret) => createSecretKey(Buffer.from(secret, 'utf8')))

/** True when any provided digest equals any expected one; every pair is compared, each in constant time. */
export function anyMatch(expected: Buffer[], provided: Buffer[]): boolean {
  let matched = false
  for (const e of expected) {
    for (const p of provided) {
      if (p.length === e.length && timingSafeEqual(e, p)) matched = true
    }
  }
  return matched
}

/** HMACs under each key, fed as the body streams; `digests()` ends them. The parts before the body go in first. */
export function macStream(keys: KeyObject[], algorithm: HmacAlgorithm, before: ReadonlyArray<string>): { update(chunk: Buffer): void; digests(): Buffer[] } {
  const hmacs = keys.map((key) => {
    const mac = createHmac(algorithm, key)
    for (const part of before) mac.update(part)
    return mac
  })
  return {
    update: (chunk) => {
      for (const mac of hmacs) mac.update(chunk)
    },
    digests: () => hmacs.map((mac) => mac.digest()),
  }
}

/** verify() of a verifier that has begin(): the same check over a body that is already whole. */
export function wholeBody(check: BodyCheck, raw: Buffer): VerifyResult | void {
  check.update?.(raw)
  return check.finish()
}
