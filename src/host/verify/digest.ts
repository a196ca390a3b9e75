// Shared HMAC machinery: decoding a provided digest strictly, and matching it against every live secret in constant time.
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto'
import { HookcatError } from '../../util/errors.js'
import { keyCache } from './secrets.js'

export type HmacAlgorithm = 'sha1' | 'sha256' | 'sha512'
export type HmacEncoding = 'hex' | 'base64' | 'base64url'

export const DIGEST_BYTES: Record<HmacAlgorithm, number> = { sha1: 20, sha256: 32, sha512: 64 }

const PATTERN: Record<HmacEncoding, RegExp> = {
  hex: /^[0-9a-fA-F]+$/,
  base64: /^[A-Za-z0-9+/]+={0,2}$/,
  base64url: /^[A-Za-z0-9_-]+={0,2}$/,
}

/** The decoded length a digest of `bytes` bytes has as text, so that a wrong length is refused before decoding. */
function textLengths(encoding: HmacEncoding, bytes: number): number[] {
  if (encoding === 'hex') return [bytes * 2]
  const padded = Math.ceil(bytes / 3) * 4
  const bare = Math.ceil((bytes * 4) / 3)
  return padded === bare ? [padded] : [padded, bare]
}

/** Decodes a provided digest, or says it is malformed (400) — distinct from a wrong one (401). */
export function decodeDigest(text: string, encoding: HmacEncoding, bytes: number, headerName: string): Buffer {
  const ok = textLengths(encoding, bytes).includes(text.length) && PATTERN[encoding].test(text)
  const decoded = ok ? Buffer.from(text, encoding) : undefined
  if (!decoded || decoded.length !== bytes) {
    throw new HookcatError('SIGNATURE_MALFORMED', `The ${headerName} header does not hold a ${encoding} ${bytes * 8}-bit digest`)
  }
  return decoded
}

/** HMAC keys built once per secret; a string secret is used as its UTF-8 bytes, as every sender does. */
export const utf8Keys = (): ((secrets: string[]) => KeyObject[]) => keyCache((secret) => createSecretKey(Buffer.from(secret, 'utf8')))

/** The HMAC of the parts under each key. */
export function macs(keys: KeyObject[], algorithm: HmacAlgorithm, parts: ReadonlyArray<Buffer | string>): Buffer[] {
  return keys.map((key) => {
    const mac = createHmac(algorithm, key)
    for (const part of parts) mac.update(part)
    return mac.digest()
  })
}

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
