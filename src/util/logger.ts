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

export function createLogger(settings: LoggerSettings = {}): Logger {
  const options: LoggerOptions = {
    level: settings.level ?? process.env.HOOKCAT_LOG_LEVEL ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { pid: process.pid },
  }
  return settings.destination ? pino(options, settings.destination as pino.DestinationStream) : pino(options)
}
