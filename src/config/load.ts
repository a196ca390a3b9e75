// Reads hookcat.yaml, substitutes ${ENV} references and validates it, naming the field on any error.
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parse as parseYaml } from 'yaml'
import type { z } from 'zod'
import { configSchema, type HookcatConfig } from './schema.js'

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly problems: string[] = [],
  ) {
    super(problems.length ? `${message}\n${problems.map((p) => `  - ${p}`).join('\n')}` : message)
    this.name = 'ConfigError'
  }
}

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g

/** Replaces ${VAR} and ${VAR:-default} in every string of a parsed document; a missing variable is an error. */
export function substituteEnv(value: unknown, env: NodeJS.ProcessEnv, path: string[] = [], missing: string[] = []): unknown {
  if (typeof value === 'string') {
    return value.replace(ENV_REF, (_, name: string, fallback: string | undefined) => {
      const found = env[name]
      if (found !== undefined && found !== '') return found
      if (fallback !== undefined) return fallback
      missing.push(`${path.join('.') || '(root)'}: environment variable ${name} is not set`)
      return ''
    })
  }
  if (Array.isArray(value)) return value.map((item, i) => substituteEnv(item, env, [...path, String(i)], missing))
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) out[key] = substituteEnv(item, env, [...path, key], missing)
    return out
  }
  return value
}

/** "plugins.github.config" + ["routes", 2, "chats", 1] → "plugins.github.config.routes[2].chats[1]". */
export function formatPath(prefix: string, parts: ReadonlyArray<PropertyKey>): string {
  let out = prefix
  for (const part of parts) out += typeof part === 'number' ? `[${part}]` : out === '' ? String(part) : `.${String(part)}`
  return out || '(root)'
}

/** One line per zod issue, naming the field: "server.port: expected number, received string". */
export function describeIssues(error: z.ZodError, prefix: string[] = []): string[] {
  return error.issues.map((issue) => `${formatPath(prefix.join('.'), issue.path)}: ${issue.message}`)
}

export interface LoadedConfig {
  config: HookcatConfig
  /** The file read, or undefined when none exists and defaults are used. */
  file?: string
}

export interface LoadOptions {
  file?: string
  env?: NodeJS.ProcessEnv
  /** Values that win over the file (from the command line). */
  overrides?: Record<string, unknown>
  /** When true, a missing file is an error even if it is the default name. */
  requireFile?: boolean
}

export function loadConfig(options: LoadOptions = {}): LoadedConfig {
  const env = options.env ?? process.env
  const explicit = options.file ?? env.HOOKCAT_CONFIG
  const file = resolve(explicit ?? 'hookcat.yaml')
  let raw: unknown = {}
  let used: string | undefined
  if (existsSync(file)) {
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch (error) {
      throw new ConfigError(`Cannot read config file ${file}: ${(error as Error).message}`)
    }
    try {
      raw = parseYaml(text) ?? {}
    } catch (error) {
      throw new ConfigError(`Config file ${file} is not valid YAML: ${(error as Error).message}`)
    }
    if (typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(`Config file ${file} must hold a mapping of settings at the top level`)
    used = file
  } else if (explicit !== undefined || options.requireFile) {
    throw new ConfigError(`Config file ${file} does not exist`)
  }
  return { config: parseConfig(raw, { env, overrides: options.overrides, source: used }), file: used }
}

/** Validates an already-parsed config document (from a file or from code). */
export function parseConfig(
  raw: unknown,
  options: { env?: NodeJS.ProcessEnv; overrides?: Record<string, unknown>; source?: string } = {},
): HookcatConfig {
  const missing: string[] = []
  const substituted = substituteEnv(raw, options.env ?? process.env, [], missing) as Record<string, unknown>
  if (missing.length) throw new ConfigError(`Invalid configuration${options.source ? ` in ${options.source}` : ''}:`, missing)
  const merged = mergeOverrides(substituted, options.overrides ?? {})
  if (env(options).HOOKCAT_STORAGE && merged.storage === undefined) merged.storage = env(options).HOOKCAT_STORAGE
  const result = configSchema.safeParse(merged)
  if (!result.success) {
    throw new ConfigError(`Invalid configuration${options.source ? ` in ${options.source}` : ''}:`, describeIssues(result.error))
  }
  return result.data
}

function env(options: { env?: NodeJS.ProcessEnv }): NodeJS.ProcessEnv {
  return options.env ?? process.env
}

function mergeOverrides(base: Record<string, unknown>, overrides: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base }
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue
    const current = out[key]
    out[key] =
      value && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object' && !Array.isArray(current)
        ? mergeOverrides(current as Record<string, unknown>, value as Record<string, unknown>)
        : value
  }
  return out
}
