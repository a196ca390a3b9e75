// Shared-secret verifiers for senders that cannot sign: Bearer, Basic, GitLab's token header, a token in the URL.
import { HookcatError } from '../../util/errors.js'
import { canonicalBase64 } from './digest.js'
import { header, listSecrets, lookup, missingSecret, safeEqual } from './secrets.js'
import type { SecretSource, Verifier, VerifyHead, VerifyResult } from './types.js'

interface TokenScheme {
  scheme: string
  description: string
  /** The credential the client sent, undefined when it sent none (a malformed one throws). */
  extract: (input: VerifyHead) => string | undefined
  missing: string
  /** Headers of a 401, e.g. WWW-Authenticate so that a client knows which scheme to use. */
  challenge?: Record<string, string>
  deliveryId?: (input: VerifyHead) => string | undefined
}

function tokenVerifier(secret: SecretSource, t: TokenScheme, secrets: (config: Record<string, unknown>) => string[] = (c) => listSecrets(secret, c)): Verifier {
  const refuse = (message: string) => new HookcatError('UNAUTHORIZED', message, t.challenge ? { headers: t.challenge } : {})
  return {
    scheme: t.scheme,
    description: t.description,
    secretField: typeof secret === 'string' ? secret : undefined,
    hasSecret: (config) => secrets(config).length > 0,
    verify(input): VerifyResult | void {
      return this.begin!(input).finish()
    },
    /** Decided on the head alone: a wrong credential is refused before a byte of the body is read. */
    begin(input: VerifyHead) {
      const live = secrets(input.config)
      if (live.length === 0) throw missingSecret(secret)
      const provided = t.extract(input)
      if (provided === undefined || provided === '') throw refuse(t.missing)
      let matched = false
      for (const s of live) if (safeEqual(provided, s)) matched = true
      if (!matched) throw refuse('The credential is not valid')
      const result: VerifyResult | undefined = t.deliveryId ? { deliveryId: t.deliveryId(input) } : undefined
      return { finish: () => result }
    },
  }
}

/** Authorization: Bearer <token>. */
export function bearer(secret: SecretSource): Verifier {
  return tokenVerifier(secret, {
    scheme: 'bearer',
    description: 'Authorization: Bearer <token>',
    extract(input) {
      const value = header(input.headers, 'authorization')
      if (value === undefined) return undefined
      const match = /^Bearer +(\S+) *$/i.exec(value)
      if (!match) throw new HookcatError('UNAUTHORIZED', 'The Authorization header must be "Bearer <token>"', { headers: { 'www-authenticate': 'Bearer' } })
      return match[1]
    },
    missing: 'The Authorization: Bearer header is missing',
    challenge: { 'www-authenticate': 'Bearer' },
  })
}

/**
 * Authorization: Basic base64(user:password). The secret is "user:password", or an object { username, password }
 * in the config (as Alertmanager's basic_auth is written).
 */
export function basic(secret: SecretSource): Verifier {
  const credentials = (config: Record<string, unknown>): string[] => {
    const value = typeof secret === 'string' ? lookup(config, secret) : secret()
    const list: unknown[] = Array.isArray(value) ? value : [value]
    return list.map(userPassword).filter((s): s is string => typeof s === 'string' && s.length > 0)
  }
  return tokenVerifier(
    secret,
    {
      scheme: 'basic',
      description: 'Authorization: Basic <user:password>',
      extract(input) {
        const value = header(input.headers, 'authorization')
        if (value === undefined) return undefined
        const match = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(value)
        if (!match) throw new HookcatError('UNAUTHORIZED', 'The Authorization header must be "Basic <base64 user:password>"', { headers: { 'www-authenticate': BASIC_CHALLENGE } })
        const decoded = Buffer.from(match[1], 'base64')
        // One spelling per credential: padding and stray bits are not left to the decoder's leniency.
        if (!canonicalBase64(decoded, match[1], 'base64')) throw new HookcatError('UNAUTHORIZED', 'The Authorization: Basic credential is not valid base64', { headers: { 'www-authenticate': BASIC_CHALLENGE } })
        return decoded.toString('utf8')
      },
      missing: 'The Authorization: Basic header is missing',
      challenge: { 'www-authenticate': BASIC_CHALLENGE },
    },
    credentials,
  )
}

const BASIC_CHALLENGE = 'Basic realm="hookcat"'

function userPassword(value: unknown): unknown {
  if (!value || typeof value !== 'object') return value
  const { username, password } = value as { username?: unknown; password?: unknown }
  return typeof username === 'string' && typeof password === 'string' && password !== '' ? `${username}:${password}` : undefined
}

/** GitLab's delivery id: Idempotency-Key stays the same across GitLab's retries; older GitLab sends only X-Gitlab-Event-UUID. */
export function gitlabDeliveryId(input: VerifyHead): string | undefined {
  return header(input.headers, 'idempotency-key') ?? header(input.headers, 'x-gitlab-event-uuid')
}

/** GitLab: X-Gitlab-Token carries the plain secret token. */
export function gitlabToken(secret: SecretSource): Verifier {
  return tokenVerifier(secret, {
    scheme: 'gitlab',
    description: 'GitLab X-Gitlab-Token',
    extract: (input) => header(input.headers, 'x-gitlab-token'),
    missing: 'The X-Gitlab-Token header is missing',
    deliveryId: gitlabDeliveryId,
  })
}

/** A token in the query string (?token=…), for senders that can set nothing but the URL. hookcat masks it in what it stores. */
export function urlToken(secret: SecretSource, parameter = 'token'): Verifier {
  return tokenVerifier(secret, {
    scheme: 'url-token',
    description: `?${parameter}=<token> in the URL`,
    extract: (input) => input.query.get(parameter) ?? undefined,
    missing: `The ${parameter} query parameter is missing`,
  })
}

/** The host's admin token as a Bearer token: for operator-only webhooks such as switching maintenance mode. */
export function admin(): Verifier {
  // verify() is synchronous, so the token of the request being checked cannot be swapped under it.
  let currentToken = ''
  const inner = bearer(() => currentToken)
  return {
    scheme: 'admin',
    description: 'Authorization: Bearer <hookcat admin token>',
    hasSecret: () => true,
    verify(input) {
      return this.begin!(input).finish()
    },
    begin(input) {
      currentToken = input.adminToken
      return inner.begin!(input)
    },
  }
}

/** Applies a verifier only to some methods; other methods pass unchecked. */
export function when(methods: readonly string[], verifier: Verifier): Verifier {
  return {
    ...verifier,
    methods: methods.map((m) => m.toUpperCase()),
    verify: verifier.verify.bind(verifier),
    begin: verifier.begin?.bind(verifier),
    hasSecret: verifier.hasSecret.bind(verifier),
  }
}
