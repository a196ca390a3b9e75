// Runs a route's verifiers in two steps: on the head before the body is read, then over the body as it streams.
import type { IncomingMessage } from 'node:http'
import type { BodyCheck, Verifier, VerifyHead, VerifyResult } from '../verify/types.js'
import { checkedVerifiers, type WebhookRoute } from './routes.js'

export interface Verification {
  /** Checks begun on the head; those with update() are fed the body while it streams. */
  readonly checks: BodyCheck[]
  /** Every check needed only the head and has passed: the body comes from a proven sender. */
  readonly provenByHead: boolean
  /** The request passes (or the route declares no verification): a delivery id it carries may be used for dedup. */
  readonly trusted: boolean
  /** Ends the checks over the whole body; throws why not. */
  finish(raw: Buffer): VerifyResult | void
}

/**
 * Begins every verifier that applies to this request (its methods, and a public route skips a verifier without a
 * secret). A throw here refuses the request before its body is read. Verifiers without begin() (written by plugin
 * authors against verify() only) run over the whole body in finish().
 */
export function beginVerification(route: WebhookRoute, config: Record<string, unknown>, req: IncomingMessage, query: string, now: number, adminToken: string): Verification {
  const declared = route.options.verify === undefined ? [] : Array.isArray(route.options.verify) ? route.options.verify : [route.options.verify]
  const method = req.method ?? 'GET'
  // The same choice the admin API describes as the webhook's access (routes.ts), so a claim and an answer never differ.
  const applicable: Verifier[] = checkedVerifiers(route.options, config).filter((v) => !v.methods || v.methods.includes(method))
  const head: VerifyHead = {
    headers: req.headers,
    method,
    url: req.url ?? '/',
    query: new URLSearchParams(applicable.length ? query : ''),
    config,
    now,
    adminToken,
  }
  const begun: Array<{ verifier: Verifier; check?: BodyCheck }> = applicable.map((verifier) => ({ verifier, check: verifier.begin?.(head) }))
  const checks = begun.flatMap((b) => (b.check ? [b.check] : []))
  return {
    checks,
    provenByHead: applicable.length > 0 && begun.every((b) => b.check && !b.check.update),
    trusted: applicable.length > 0 || declared.length === 0,
    finish(raw) {
      let result: VerifyResult | void = undefined
      for (const { verifier, check } of begun) {
        const outcome = check ? check.finish() : verifier.verify({ ...head, raw })
        if (outcome?.deliveryId) result = outcome
      }
      return result
    },
  }
}
