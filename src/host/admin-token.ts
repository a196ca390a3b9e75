// The admin token: from the config, or generated once and kept in the data directory (mode 0600).
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface AdminToken {
  token: string
  /** config: from hookcat.yaml; file: read from the data directory; generated: created now and stored there. */
  source: 'config' | 'file' | 'generated'
  file?: string
}

export function resolveAdminToken(configured: string | undefined, dataDir: string): AdminToken {
  if (configured) return { token: configured, source: 'config' }
  const file = join(dataDir, 'admin-token')
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim()
    if (token.length >= 16) return { token, source: 'file', file }
  }
  mkdirSync(dataDir, { recursive: true })
  const token = randomBytes(24).toString('base64url')
  writeFileSync(file, `${token}\n`, { mode: 0o600 })
  return { token, source: 'generated', file }
}
