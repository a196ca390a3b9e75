// Resolving and comparing secrets: config lookups, rotation lists, constant-time equality.
import { createHash, timingSafeEqual } from 'node:crypto'
import { HookcatError } from '../../util/errors.js'
import type { SecretSource } from './types.js'

function lookup(config: Record<string, unknown>, path: string): unknown {
  let value: unknown = config
  for (const part of path.split('.')) {
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

/** The secrets, or a 503 naming the missing field: a webhook without its secret is closed, never open. */
export function requireSecrets(source: SecretSource, config: Record<string, unknown>): string[] {
  const secrets = listSecrets(source, config)
  if (secrets.length === 0) {
    const field = typeof source === 'string' ? source : 'secret'
    throw new HookcatError('SECRET_NOT_CONFIGURED', `The webhook's secret "${field}" is not configured; set it in the plugin's config`, {
      details: { field },
    })
  }
  return secrets
}

/** Constant-time equality of two byte strings of any length (lengths are compared through fixed-size digests). */
export function safeEqual(a: Buffer | string, b: Buffer | string): boolean {
  const ab = typeof a === 'string' ? Buffer.from(a) : a
  const bb = typeof b === 'string' ? Buffer.from(b) : b
  if (ab.length === bb.length) return timingSafeEqual(ab, bb)
  // Different lengths: still spend comparable time, and never short-circuit on content.
  const da = createHash('sha256').update(ab).digest()
  const db = createHash('sha256').update(bb).digest()
  timingSafeEqual(da, db)
  return false
}

export function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name]
  return Array.isArray(value) ? value[0] : value
}
