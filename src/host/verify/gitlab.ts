// GitLab: the X-Gitlab-Token secret token, the newer Standard Webhooks signing token, or both together.
import { HookcatError } from '../../util/errors.js'
import { wholeBody } from './digest.js'
import { secretName } from './secrets.js'
import { standardWebhooks, type StandardWebhooksOptions } from './standard.js'
import { gitlabDeliveryId, gitlabToken } from './token.js'
import type { SecretSource, Verifier, VerifyResult } from './types.js'

/** GitLab's signing token ("whsec_…"): webhook-signature over "{webhook-id}.{webhook-timestamp}.{body}"; webhook-id equals Idempotency-Key. */
export function gitlabSignature(signingToken: SecretSource, options: StandardWebhooksOptions = {}): Verifier {
  return standardWebhooks(signingToken, { scheme: 'gitlab', description: 'GitLab signing token (Standard Webhooks webhook-signature)', ...options })
}

export interface GitlabOptions extends StandardWebhooksOptions {
  /** The secret token GitLab sends in X-Gitlab-Token. */
  token?: SecretSource
  /** The signing token GitLab signs with (Standard Webhooks). */
  signingToken?: SecretSource
}

/**
 * GitLab with whichever credentials are configured: each configured one must pass (a configured signing token
 * cannot be bypassed by sending only the plain token). Neither configured: 503 naming both fields.
 */
export function gitlab(options: GitlabOptions): Verifier {
  const token = options.token === undefined ? undefined : gitlabToken(options.token)
  const signature = options.signingToken === undefined ? undefined : gitlabSignature(options.signingToken, options)
  if (!token && !signature) throw new TypeError('verify.gitlab() needs a token, a signingToken, or both')
  const fields = [options.token, options.signingToken].filter((s): s is SecretSource => s !== undefined).map(secretName)
  return {
    scheme: 'gitlab',
    description: [signature && 'GitLab signing token (webhook-signature)', token && 'X-Gitlab-Token'].filter(Boolean).join(' and '),
    secretField: token?.secretField ?? signature?.secretField,
    hasSecret: (config) => !!(token?.hasSecret(config) || signature?.hasSecret(config)),
    verify(input) {
      return wholeBody(this.begin!(input), input.raw)
    },
    begin(input) {
      const checks = [signature, token].filter((v): v is Verifier => !!v && v.hasSecret(input.config))
      if (checks.length === 0) {
        throw new HookcatError('SECRET_NOT_CONFIGURED', `The webhook's secret ${fields.map((f) => `"${f}"`).join(' or ')} is not configured; set it in the plugin's config`, {
          details: { field: fields[0], fields },
        })
      }
      const begun = checks.map((check) => check.begin!(input))
      const streamed = begun.filter((b) => b.update)
      return {
        update: streamed.length ? (chunk) => streamed.forEach((b) => b.update!(chunk)) : undefined,
        finish() {
          let result: VerifyResult | void = undefined
          for (const b of begun) result = b.finish() ?? result
          return { deliveryId: gitlabDeliveryId(input) ?? result?.deliveryId }
        },
      }
    },
  }
}
