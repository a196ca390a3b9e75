// Grafana alerting's optional HMAC: hex HMAC-SHA256 of the body, or of "ts:body" when a timestamp header is configured.
import { HookcatError } from '../../util/errors.js'
import { wholeBody } from './digest.js'
import { hmac } from './hmac.js'
import { requireSecrets } from './secrets.js'
import type { SecretSource, Verifier } from './types.js'

export interface GrafanaOptions {
  /** The signature header set in the contact point; default: X-Grafana-Alerting-Signature, or X-Grafana-Alert-Signature that some versions send. */
  header?: string
  /** The timestamp header set in the contact point; the signed text is then "<timestamp>:<body>". */
  timestampHeader?: string
  /** Allowed distance of the timestamp from now, in seconds, both ways (default 300). */
  toleranceSeconds?: number
}

const DEFAULT_HEADERS = ['X-Grafana-Alerting-Signature', 'X-Grafana-Alert-Signature']

/** Grafana webhook contact points with an HMAC secret. */
export function grafana(secret: SecretSource, options: GrafanaOptions = {}): Verifier {
  const names = options.header ? [options.header] : DEFAULT_HEADERS
  const variants = names.map((name) => ({
    name: name.toLowerCase(),
    verifier: hmac(secret, {
      header: name,
      timestampHeader: options.timestampHeader,
      timestampSeparator: ':',
      toleranceSeconds: options.toleranceSeconds,
      scheme: 'grafana',
    }),
  }))
  const first = variants[0].verifier
  return {
    scheme: 'grafana',
    description: `Grafana ${names.join(' / ')}: hex HMAC-SHA256 of ${options.timestampHeader ? `"<${options.timestampHeader}>:<body>"` : 'the body'}`,
    secretField: first.secretField,
    hasSecret: first.hasSecret,
    verify(input) {
      return wholeBody(this.begin!(input), input.raw)
    },
    begin(input) {
      const present = variants.find((v) => input.headers[v.name] !== undefined)
      if (present) return present.verifier.begin!(input)
      requireSecrets(secret, input.config)
      throw new HookcatError('UNAUTHORIZED', `The ${names.join(' or ')} header is missing`)
    },
  }
}
