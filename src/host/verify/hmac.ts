// HMAC signature verifiers over the raw body: generic (the page's X-Signature), GitHub, Gitea/Forgejo.
import { HookcatError } from '../../util/errors.js'
import { anyMatch, decodeDigest, DIGEST_BYTES, macStream, utf8Keys, wholeBody, type HmacAlgorithm, type HmacEncoding } from './digest.js'
import { header, listSecrets, requireSecrets } from './secrets.js'
import { checkWindow, parseTimestamp, toleranceOf } from './timestamp.js'
import type { SecretSource, Verifier, VerifyHead, VerifyInput } from './types.js'

export type { HmacAlgorithm, HmacEncoding }

export interface HmacOptions {
  /** Header that carries the signature, e.g. "x-signature". */
  header: string
  algorithm?: HmacAlgorithm
  encoding?: HmacEncoding
  /** Text before the digest, e.g. "sha256=" (compared exactly: "SHA256=" is malformed). */
  prefix?: string
  /** Header with a timestamp that is signed as "<timestamp><separator><body>" and must be within the tolerance. */
  timestampHeader?: string
  timestampSeparator?: string
  /** Allowed clock difference for timestampHeader, in seconds (default 300), both ways. */
  toleranceSeconds?: number
  /** Header with the sender's delivery id. */
  deliveryIdHeader?: string
  scheme?: string
  description?: string
}

/** A generic HMAC check: covers the page's X-Signature example and most home-made senders. */
export function hmac(secret: SecretSource, options: HmacOptions): Verifier {
  const algorithm = options.algorithm ?? 'sha256'
  const encoding = options.encoding ?? 'hex'
  if (!DIGEST_BYTES[algorithm]) throw new TypeError(`Unsupported HMAC algorithm "${algorithm}"`)
  if (!['hex', 'base64', 'base64url'].includes(encoding)) throw new TypeError(`Unsupported digest encoding "${encoding}"`)
  if (typeof options.header !== 'string' || options.header === '') throw new TypeError('hmac() needs the name of the signature header')
  const bytes = DIGEST_BYTES[algorithm]
  const headerName = options.header.toLowerCase()
  const prefix = options.prefix ?? ''
  const tsHeader = options.timestampHeader?.toLowerCase()
  const separator = options.timestampSeparator ?? '.'
  const tolerance = toleranceOf(options.toleranceSeconds)
  const idHeader = options.deliveryIdHeader?.toLowerCase()
  const keys = utf8Keys()
  return {
    scheme: options.scheme ?? 'hmac',
    description: options.description ?? `${options.header}: ${prefix}<${encoding} HMAC-${algorithm.toUpperCase()} of ${tsHeader ? `"<${options.timestampHeader}>${separator}<body>"` : 'the body'}>`,
    secretField: typeof secret === 'string' ? secret : undefined,
    hasSecret: (config) => listSecrets(secret, config).length > 0,
    verify(input: VerifyInput) {
      return wholeBody(this.begin!(input), input.raw)
    },
    begin(input: VerifyHead) {
      const secrets = requireSecrets(secret, input.config)
      const value = header(input.headers, headerName)
      if (value === undefined || value === '') throw new HookcatError('UNAUTHORIZED', `The ${options.header} header is missing`)
      if (prefix && !value.startsWith(prefix)) throw new HookcatError('SIGNATURE_MALFORMED', `The ${options.header} header must start with "${prefix}"`)
      const provided = decodeDigest(value.slice(prefix.length), encoding, bytes, options.header)
      const before: string[] = []
      let seconds = 0
      if (tsHeader) {
        const ts = header(input.headers, tsHeader)
        seconds = parseTimestamp(ts, options.timestampHeader!)
        before.push(`${ts}${separator}`)
      }
      const mac = macStream(keys(secrets), algorithm, before)
      return {
        update: mac.update,
        finish() {
          if (!anyMatch(mac.digests(), [provided])) {
            throw new HookcatError('SIGNATURE_INVALID', `The ${options.header} signature does not match the body`)
          }
          // Checked after the signature, so that "out of the window" in the log means a genuine but stale or early request.
          if (tsHeader) checkWindow(seconds, input.now, tolerance, options.timestampHeader!)
          return idHeader ? { deliveryId: header(input.headers, idHeader) } : undefined
        },
      }
    },
  }
}

export interface GithubOptions {
  /** Also accept the legacy X-Hub-Signature (HMAC-SHA1) when X-Hub-Signature-256 is absent. Off by default: SHA-1 is weaker. */
  legacySha1?: boolean
}

/** GitHub: X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>; X-GitHub-Delivery is the delivery id. */
export function github(secret: SecretSource, options: GithubOptions = {}): Verifier {
  const sha256 = hmac(secret, {
    header: 'X-Hub-Signature-256',
    prefix: 'sha256=',
    deliveryIdHeader: 'x-github-delivery',
    scheme: 'github',
  })
  const sha1 = hmac(secret, { header: 'X-Hub-Signature', prefix: 'sha1=', algorithm: 'sha1', deliveryIdHeader: 'x-github-delivery', scheme: 'github' })
  return {
    scheme: 'github',
    description: `GitHub X-Hub-Signature-256 (HMAC-SHA256 of the raw body)${options.legacySha1 ? ', or legacy X-Hub-Signature (HMAC-SHA1)' : ''}`,
    secretField: sha256.secretField,
    hasSecret: sha256.hasSecret,
    verify(input) {
      return wholeBody(this.begin!(input), input.raw)
    },
    begin(input) {
      if (input.headers['x-hub-signature-256'] !== undefined) return sha256.begin!(input)
      if (input.headers['x-hub-signature'] !== undefined) {
        if (options.legacySha1) return sha1.begin!(input)
        requireSecrets(secret, input.config)
        throw new HookcatError('UNAUTHORIZED', 'The X-Hub-Signature-256 header is missing; the legacy SHA-1 X-Hub-Signature is not accepted by this webhook')
      }
      return sha256.begin!(input)
    },
  }
}

/** Gitea and Forgejo: X-Gitea-Signature or X-Forgejo-Signature, hex HMAC-SHA256 with no prefix. */
export function gitea(secret: SecretSource): Verifier {
  const forgejo = hmac(secret, { header: 'X-Forgejo-Signature', deliveryIdHeader: 'x-forgejo-delivery', scheme: 'gitea' })
  const giteaSig = hmac(secret, { header: 'X-Gitea-Signature', deliveryIdHeader: 'x-gitea-delivery', scheme: 'gitea' })
  return {
    scheme: 'gitea',
    description: 'Gitea X-Gitea-Signature / Forgejo X-Forgejo-Signature (hex HMAC-SHA256 of the raw body)',
    secretField: giteaSig.secretField,
    hasSecret: giteaSig.hasSecret,
    verify(input) {
      return wholeBody(this.begin!(input), input.raw)
    },
    begin(input) {
      return input.headers['x-forgejo-signature'] !== undefined && input.headers['x-gitea-signature'] === undefined
        ? forgejo.begin!(input)
        : giteaSig.begin!(input)
    },
  }
}
