// The last line of defence of the admin API: every string of an answer is scrubbed of every known secret value.
import type { Host } from '../host/host.js'
import { secretValues } from '../host/plugin/secret.js'
import { REDACTED } from '../util/redact.js'

/** The host's secrets plus those of plugins that never loaded (their error text may quote their own config). */
export function knownSecrets(host: Host): string[] {
  const out = new Set(host.secrets())
  for (const name of host.registry.names()) {
    const entry = host.registry.lookup(name)
    for (const value of secretValues(entry?.definition.config, host.registry.settings(name).config)) out.add(value)
  }
  return [...out]
}

/** A copy of a JSON value in which each secret (4+ characters) inside any string or key is replaced by [redacted]. */
export function scrubValue(value: unknown, secrets: readonly string[]): unknown {
  const list = secrets.filter((s) => s.length >= 4)
  if (list.length === 0) return value
  const text = (s: string): string => {
    let out = s
    for (const secret of list) if (out.includes(secret)) out = out.split(secret).join(REDACTED)
    return out
  }
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return text(v)
    if (!v || typeof v !== 'object' || depth > 64) return v
    if (Array.isArray(v)) return v.map((item) => walk(item, depth + 1))
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(v)) out[text(key)] = walk(item, depth + 1)
    return out
  }
  return walk(value, 0)
}
