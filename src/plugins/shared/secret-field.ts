// The config field of a secret that can be rotated: one value, or up to five accepted at once.
import { secret, z } from '../../index.js'

/** A fresh schema on each call, so that each field carries its own description. */
export function rotatingSecret() {
  return secret(z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(5)]))
}
