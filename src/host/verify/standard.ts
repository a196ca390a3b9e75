// Standard Webhooks and Svix: "v1,<base64 HMAC-SHA256>" of "{id}.{timestamp}.{body}" with the key of a whsec_ secret.
import { createSecretKey, type KeyObject } from 'node:crypto'
import { HookcatError } from '../../util/errors.js'
import { anyMatch, decodeDigest, macStream, wholeBody } from './digest.js'
import { header, keyCache, listSecrets, requireSecrets, secretName } from './secrets.js'
import { checkWindow, parseTimestamp, toleranceOf } from './timestamp.js'
import { MAX_DELIVERY_ID, type SecretSource, type Verifier } from './types.js'

export interface StandardWebhooksOptions {
  /** Allowed distance of webhook-timestamp from now, in seconds, both ways (default 300). */
  toleranceSeconds?: number
  scheme?: string
  description?: string
}

/** Header names of the two spellings of the scheme; the unbranded one wins when both are present. */
const FAMILIES = [
  { id: 'webhook-id', timestamp: 'webhook-timestamp', signature: 'webhook-signature' },
  { id: 'svix-id', timestamp: 'svix-timestamp', signature: 'svix-signature' },
] as const

/** More signatures than this in one header is not a rotation, it is an attempt to make us work. */
const MAX_SIGNATURES = 16
const BASE64_KEY = /^[A-Za-z0-9+/]+={0,2}$/

/** The HMAC key of a Standard Webhooks secret: the base64 after "whsec_" (a bare base64 key is accepted too, as the reference library does). */
function decodeKey(secret: string, field: string): KeyObject {
  const text = secret.startsWith('whsec_') ? secret.slice(6) : secret
  const key = BASE64_KEY.test(text) && text.length % 4 === 0 ? Buffer.from(text, 'base64') : Buffer.alloc(0)
  if (key.length === 0) {
    throw new HookcatError('SECRET_NOT_CONFIGURED', `The webhook's secret "${field}" is not a valid Standard Webhooks secret ("whsec_" followed by base64)`, {
      details: { field },
    })
  }
  return createSecretKey(key)
}

/** Every v1 digest in the header; 400 when nothing in it has the "<version>,<signature>" form or a v1 entry is not a 256-bit digest. */
function v1Signatures(value: string, headerName: string): Buffer[] {
  const entries = value.split(' ').filter((e) => e !== '')
  if (entries.length === 0) throw new HookcatError('UNAUTHORIZED', `The ${headerName} header is empty`)
  if (entries.length > MAX_SIGNATURES) throw new HookcatError('SIGNATURE_MALFORMED', `The ${headerName} header holds more than ${MAX_SIGNATURES} signatures`)
  const digests: Buffer[] = []
  for (const entry of entries) {
    const comma = entry.indexOf(',')
    if (comma <= 0) throw new HookcatError('SIGNATURE_MALFORMED', `The ${headerName} header must hold space-separated "v1,<base64 signature>" entries`)
    // Other versions (v1a: asymmetric) are skipped, as the specification says; only v1 is checked here.
    if (entry.slice(0, comma) === 'v1') digests.push(decodeDigest(entry.slice(comma + 1), 'base64', 32, headerName))
  }
  if (digests.length === 0) throw new HookcatError('UNAUTHORIZED', `The ${headerName} header holds no v1 signature`)
  return digests
}

/** Standard Webhooks (webhook-id / webhook-timestamp / webhook-signature) and the same scheme under Svix's svix-* names. */
export function standardWebhooks(secret: SecretSource, options: StandardWebhooksOptions = {}): Verifier {
  const tolerance = toleranceOf(options.toleranceSeconds)
  const field = secretName(secret)
  const keys = keyCache((s) => decodeKey(s, field))
  return {
    scheme: options.scheme ?? 'standard-webhooks',
    description: options.description ?? 'Standard Webhooks / Svix: webhook-signature "v1,<base64 HMAC-SHA256 of id.timestamp.body>"',
    secretField: typeof secret === 'string' ? secret : undefined,
    hasSecret: (config) => listSecrets(secret, config).length > 0,
    verify(input) {
      return wholeBody(this.begin!(input), input.raw)
    },
    begin(input) {
      const secrets = requireSecrets(secret, input.config)
      const names = input.headers[FAMILIES[0].signature] === undefined && input.headers[FAMILIES[1].signature] !== undefined ? FAMILIES[1] : FAMILIES[0]
      const signature = header(input.headers, names.signature)
      if (signature === undefined) throw new HookcatError('UNAUTHORIZED', `The ${names.signature} header is missing`)
      const id = header(input.headers, names.id)
      if (id === undefined || id === '') throw new HookcatError('UNAUTHORIZED', `The ${names.id} header is missing`)
      if (id.length > MAX_DELIVERY_ID) throw new HookcatError('DELIVERY_ID_TOO_LONG', `The ${names.id} header is longer than ${MAX_DELIVERY_ID} characters`)
      const ts = header(input.headers, names.timestamp)
      const seconds = parseTimestamp(ts, names.timestamp, 'seconds')
      const provided = v1Signatures(signature, names.signature)
      const mac = macStream(keys(secrets), 'sha256', [`${id}.${ts}.`])
      return {
        update: mac.update,
        finish() {
          if (!anyMatch(mac.digests(), provided)) throw new HookcatError('SIGNATURE_INVALID', `The ${names.signature} signature does not match the body`)
          // After the signature: "out of the window" in the log then means a genuine but replayed or early request.
          checkWindow(seconds, input.now, tolerance, names.timestamp)
          return { deliveryId: id }
        },
      }
    },
  }
}

/** Svix: the same scheme; svix-* and webhook-* headers are both understood. */
export function svix(secret: SecretSource, options: StandardWebhooksOptions = {}): Verifier {
  return standardWebhooks(secret, { scheme: 'svix', ...options })
}
