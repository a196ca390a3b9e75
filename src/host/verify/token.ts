// Shared-secret verifiers for senders that cannot sign: Bearer, Basic, GitLab's token header, a token in the URL.
import { HookcatError } from '../../util/errors.js'
import { header, listSecrets, requireSecrets, safeEqual } from './secrets.js'
import type { SecretSource, Verifier, VerifyInput } from './types.js'

function tokenVerifier(
  secret: SecretSource,
  scheme: string,
  description: string,
  extract: (input: VerifyInput) => string | undefined,
  missing: string,
): Verifier {
  return {
    scheme,
    description,
    secretField: typeof secret === 'string' ? secret : undefined,
    hasSecret: (config) => listSecrets(secret, config).length > 0,
    verify(input) {
      const secrets = requireSecrets(secret, input.config)
      const provided = extract(input)
      if (provided === undefined || provided === '') throw new HookcatError('UNAUTHORIZED', missing)
      let matched = false
      for (const s of secrets) if (safeEqual(provided, s)) matched = true
      if (!matched) throw new HookcatError('UNAUTHORIZED', 'The credential is not valid')
    },
  }
}

/** Authorization: Bearer <token>. */
export function bearer(secret: SecretSource): Verifier {
  return tokenVerifier(
    secret,
    'bearer',
    'Authorization: Bearer <token>',
    (input) => {
      const value = header(input.headers, 'authorization')
      if (value === undefined) return undefined
      const match = /^Bearer\s+(.+)$/i.exec(value)
      if (!match) throw new HookcatError('UNAUTHORIZED', 'The Authorization header must use the Bearer scheme')
      return match[1].trim()
    },
    'The Authorization: Bearer header is missing',
  )
}

/** Authorization: Basic base64(user:password); the secret is "user:password". */
export function basic(secret: SecretSource): Verifier {
  return tokenVerifier(
    secret,
    'basic',
    'Authorization: Basic <user:password>',
    (input) => {
      const value = header(input.headers, 'authorization')
      if (value === undefined) return undefined
      const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(value)
      if (!match) throw new HookcatError('UNAUTHORIZED', 'The Authorization header must use the Basic scheme')
      return Buffer.from(match[1], 'base64').toString('utf8')
    },
    'The Authorization: Basic header is missing',
  )
}

/** GitLab: X-Gitlab-Token carries the plain secret. */
export function gitlabToken(secret: SecretSource): Verifier {
  return tokenVerifier(secret, 'gitlab', 'GitLab X-Gitlab-Token', (input) => header(input.headers, 'x-gitlab-token'), 'The X-Gitlab-Token header is missing')
}

/** A token in the query string (?token=…), for senders that can set nothing but the URL. */
export function urlToken(secret: SecretSource, parameter = 'token'): Verifier {
  return tokenVerifier(
    secret,
    'url-token',
    `?${parameter}=<token> in the URL`,
    (input) => input.query.get(parameter) ?? undefined,
    `The ${parameter} query parameter is missing`,
  )
}

/** The host's admin token as a Bearer token: for operator-only webhooks such as switching maintenance mode. */
export function admin(): Verifier {
  const inner = (input: VerifyInput) => bearer(() => input.adminToken)
  return {
    scheme: 'admin',
    description: 'Authorization: Bearer <hookcat admin token>',
    hasSecret: () => true,
    verify: (input) => inner(input).verify(input),
  }
}

/** Applies a verifier only to some methods; other methods pass unchecked. */
export function when(methods: readonly string[], verifier: Verifier): Verifier {
  return { ...verifier, methods: methods.map((m) => m.toUpperCase()), verify: verifier.verify.bind(verifier), hasSecret: verifier.hasSecret.bind(verifier) }
}
