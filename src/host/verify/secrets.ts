// Resolving and comparing secrets: config lookups, rotation lists, per-secret key caches, constant-time equality.
import { createHash, timingSafeEqual } from 'node:crypto'
import { HookcatError } from '../../util/errors.js'
import type { SecretSource } from './types.js'

/** Dot paths split once: the lookup runs on every request. */
const splitPaths = new Map<string, string[]>()

/** The value at a dot path of the plugin's config. */
export function lookup(config: Record<string, unknown>, path: string): unknown {
  let parts = splitPaths.get(path)
  if (!parts) {
    parts = path.split('.')
    if (splitPaths.size < 1000) splitPaths.set(path, parts)
  }
  let value: unknown = config
  for (const part of parts) {
    if (!value || typeof value !== 'object') return undefined
    value = (value as Record<string, unknown>)[part]
  }
  return value
}

/** Every live secret (non-empty strings); a config field may hold one string or a list for rotation. */
export function listSecrets(source: SecretSource, config: Record<string, unknown>): string[] {
  const value = typeof source === 'string' ? lookup(config, source) : source()
  const list = Array.isArray(value) ? value : [value]
  return list.filter((s): s is string => typeof s === 'string' && s.length > 0)
}

/** The name a 503 gives for a missing secret: the config field when the secret is named by field. */
export function secretName(source: SecretSource): string {
  return typeof source === 'string' ? source : 'secret'
}

/** The 503 of a webhook whose secret is not configured: closed, never open, and saying which field to set. */
export function missingSecret(source: SecretSource): HookcatError {
  const field = secretName(source)
  return new HookcatError('SECRET_NOT_CONFIGURED', `The webhook's secret "${field}" is not configured; set it in the plugin's config`, {
    details: { field },
  })
}

/** The secrets, or a 503 naming the missing field. */
export function requireSecrets(source: SecretSource, config: Record<string, unknown>): string[] {
  const secrets = listSecrets(source, config)
  if (secrets.length === 0) throw missingSecret(source)
  return secrets
}

/**
 * Memoises a derivation of each secret (decoding a whsec_ key, building an HMAC key): secrets change rarely,
 * requests are many. The cache is small and cleared when full, so rotated-out secrets do not pile up.
 */
export function keyCache<K>(derive: (secret: string) => K, max = 16): (secrets: string[]) => K[] {
  const cache = new Map<string, K>()
  return (secrets) =>
    secrets.map((secret) => {
      let key = cache.get(secret)
      if (key === undefined) {
        key = derive(secret)
        if (cache.size >= max) cache.clear()
        cache.set(secret, key)
      }
      return key
    })
}

const sha256 = (value: Buffer | string) => createHash('sha256').update(value).digest()

/**
 * Constant-time equality of two byte strings of any length: both are hashed to fixed-size digests first,
 * so neither the secret's length nor the position of the first difference shows in the timing.
 */
export function safeEqual(a: Buffer | string, b: Buffer | string): boolean {
  return timingSafeEqual(sha256(a), sha256(b))
}

export function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name]
  return Array.isArray(value) ? value[0] : value
}

const MAYBE_CREDENTIAL = /token|secret|sig|pass|key|auth|credential/i
const CREDENTIAL_PARAM = /token|secret|signature|^sig$|^sign$|passw(or)?d|api[-_]?key|access[-_]?key|^key$|auth|credential/i

/** The query string with credential-looking parameters masked, for what is stored and shown (?token=… secrets). */
export function redactQuery(query: string): string {
  // Cheap screen first: most webhook URLs have no query, or none that could name a credential.
  if (query === '' || (!query.includes('%') && !MAYBE_CREDENTIAL.test(query))) return query
  const params = new URLSearchParams(query)
  let changed = false
  for (const name of new Set(params.keys())) {
    if (CREDENTIAL_PARAM.test(name)) {
      params.set(name, '[redacted]')
      changed = true
    }
  }
  return changed ? params.toString() : query
}
