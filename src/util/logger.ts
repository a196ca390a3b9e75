// The process logger (pino) with redaction of credential fields wherever they appear.
import { pino, type Logger, type LoggerOptions } from 'pino'

export type { Logger }

const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  'headers["x-hub-signature-256"]',
  'headers["x-hub-signature"]',
  'headers["x-gitlab-token"]',
  '*.secret',
  '*.token',
  '*.password',
  '*.accessToken',
  '*.adminToken',
  '*.webhookSecret',
  '*.apiToken',
  '*.bearerToken',
  '*.hmacSecret',
  'secret',
  'token',
  'password',
]

export interface LoggerSettings {
  level?: string
  /** Where log lines go; defaults to stdout. Tests pass a stream to capture them. */
  destination?: NodeJS.WritableStream
  pretty?: boolean
}

/** Secret values this process knows (config secrets, tokens); every log line is scrubbed of them before it is written. */
const knownSecrets = new Set<string>()

/** Adds secret values to scrub from every log line, whatever field or message text they hide in. */
export function registerSecrets(values: Iterable<string>): void {
  for (const value of values) {
    // Very short values would scrub ordinary words; configs refuse them as secrets anyway.
    if (typeof value === 'string' && value.length >= 4) knownSecrets.add(value)
  }
}

/** A line with every known secret replaced, in its raw and in its JSON-escaped form. */
export function scrubLine(line: string): string {
  let out = line
  for (const secret of knownSecrets) {
    if (out.includes(secret)) out = out.split(secret).join('[redacted]')
    const escaped = JSON.stringify(secret).slice(1, -1)
    if (escaped !== secret && out.includes(escaped)) out = out.split(escaped).join('[redacted]')
  }
  return out
}

export function createLogger(settings: LoggerSettings = {}): Logger {
  const options: LoggerOptions = {
    level: settings.level ?? process.env.HOOKCAT_LOG_LEVEL ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { pid: process.pid },
    // Redaction by path misses a secret quoted in an error message or a stack; this catches it by value.
    hooks: { streamWrite: (line) => (knownSecrets.size === 0 ? line : scrubLine(line)) },
  }
  return settings.destination ? pino(options, settings.destination as pino.DestinationStream) : pino(options)
}
