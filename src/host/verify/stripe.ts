// Stripe-style signatures: "t=<ts>,v1=<hex HMAC-SHA256 of '{t}.{body}'>[,v1=…]", several v1 during a secret's rotation.
import { HookcatError } from '../../util/errors.js'
import { anyMatch, decodeDigest, macStream, utf8Keys, wholeBody } from './digest.js'
import { header, listSecrets, requireSecrets } from './secrets.js'
import { checkWindow, parseTimestamp, toleranceOf } from './timestamp.js'
import type { SecretSource, Verifier } from './types.js'

export interface StripeOptions {
  /** Header name (default "Stripe-Signature"), for senders that copy Stripe's scheme under their own name. */
  header?: string
  /** Allowed distance of t from now, in seconds, both ways (default 300, as stripe-node). */
  toleranceSeconds?: number
  scheme?: string
}

const MAX_ITEMS = 32

/**
 * Stripe and the many senders that copy its scheme. The secret ("whsec_…" for Stripe) is used as is, as the HMAC key.
 * Stripe's event id is in the body: name it with `dedup: { jsonField: 'id' }`.
 */
export function stripe(secret: SecretSource, options: StripeOptions = {}): Verifier {
  const display = options.header ?? 'Stripe-Signature'
  const name = display.toLowerCase()
  const tolerance = toleranceOf(options.toleranceSeconds)
  const keys = utf8Keys()
  return {
    scheme: options.scheme ?? 'stripe',
    description: `${display}: t=<timestamp>,v1=<hex HMAC-SHA256 of "t.body">`,
    secretField: typeof secret === 'string' ? secret : undefined,
    hasSecret: (config) => listSecrets(secret, config).length > 0,
    verify(input) {
      return wholeBody(this.begin!(input), input.raw)
    },
    begin(input) {
      const secrets = requireSecrets(secret, input.config)
      const value = header(input.headers, name)
      if (value === undefined || value === '') throw new HookcatError('UNAUTHORIZED', `The ${display} header is missing`)
      const items = value.split(',')
      if (items.length > MAX_ITEMS) throw new HookcatError('SIGNATURE_MALFORMED', `The ${display} header holds more than ${MAX_ITEMS} items`)
      let ts: string | undefined
      const signed: string[] = []
      for (const item of items) {
        const eq = item.indexOf('=')
        if (eq <= 0) throw new HookcatError('SIGNATURE_MALFORMED', `The ${display} header must be "t=<timestamp>,v1=<signature>"`)
        const key = item.slice(0, eq).trim()
        const text = item.slice(eq + 1).trim()
        if (key === 't') {
          if (ts !== undefined) throw new HookcatError('SIGNATURE_MALFORMED', `The ${display} header holds two timestamps`)
          ts = text
        } else if (key === 'v1') signed.push(text)
        // v0 (test mode) and unknown schemes are ignored, as Stripe's libraries do.
      }
      if (ts === undefined) throw new HookcatError('SIGNATURE_MALFORMED', `The ${display} header has no t= timestamp`)
      const seconds = parseTimestamp(ts, `${display} t=`, 'seconds')
      if (signed.length === 0) throw new HookcatError('UNAUTHORIZED', `The ${display} header holds no v1 signature`)
      const provided = signed.map((s) => decodeDigest(s, 'hex', 32, display))
      const mac = macStream(keys(secrets), 'sha256', [`${ts}.`])
      return {
        update: mac.update,
        finish() {
          if (!anyMatch(mac.digests(), provided)) throw new HookcatError('SIGNATURE_INVALID', `The ${display} signature does not match the body`)
          checkWindow(seconds, input.now, tolerance, `${display} t=`)
        },
      }
    },
  }
}
