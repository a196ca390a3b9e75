// Encrypts secrets entered in the admin UI (AES-256-GCM) with a key kept in the data folder, made on first use (mode 0600).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export const CONFIG_KEY_FILE = 'config-key'
const PREFIX = 'v1'

export class ConfigKey {
  private key?: Buffer

  constructor(private readonly dataDir: string) {}

  get file(): string {
    return join(this.dataDir, CONFIG_KEY_FILE)
  }

  /** The key; created only when `create` (encrypting), so that reading configs never writes files. */
  private load(create: boolean): Buffer | undefined {
    if (this.key) return this.key
    if (existsSync(this.file)) {
      const key = Buffer.from(readFileSync(this.file, 'utf8').trim(), 'base64')
      if (key.length !== 32) throw new Error(`${this.file} is not a 32-byte base64 key`)
      return (this.key = key)
    }
    if (!create) return undefined
    mkdirSync(this.dataDir, { recursive: true })
    const key = randomBytes(32)
    writeFileSync(this.file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' })
    chmodSync(this.file, 0o600)
    return (this.key = key)
  }

  encrypt(value: unknown): string {
    const key = this.load(true)!
    const iv = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', key, iv)
    const data = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()])
    return [PREFIX, iv.toString('base64'), cipher.getAuthTag().toString('base64'), data.toString('base64')].join(':')
  }

  /** The value, or throws (no key, another key, or tampered text): the caller falls back to hookcat.yaml. */
  decrypt(text: string): unknown {
    const [version, iv, tag, data] = text.split(':')
    if (version !== PREFIX || !iv || !tag || data === undefined) throw new Error('not an encrypted config value')
    const key = this.load(false)
    if (!key) throw new Error(`${this.file} is missing`)
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'))
    decipher.setAuthTag(Buffer.from(tag, 'base64'))
    const plain = Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8')
    return JSON.parse(plain)
  }
}
