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

export interface EnvTolerance {
  /** Whether a missing variable at this path may be left out instead of being an error. */
  tolerate: (path: string[]) => boolean
  /** "path: environment variable X is not set" for each one left out. */
  omitted: string[]
}

/**
 * Replaces ${VAR} and ${VAR:-default} in every string of a parsed document; a missing variable is an error, unless
 * `tolerance` lets its path go: then a value that was only references is left out (a list drops the item).
 */
export function substituteEnv(value: unknown, env: NodeJS.ProcessEnv, path: string[] = [], missing: string[] = [], tolerance?: EnvTolerance): unknown {
  if (typeof value === 'string') {
    const here: string[] = []
    const replaced = value.replace(ENV_REF, (_, name: string, fallback: string | undefined) => {
      const found = env[name]
      if (found !== undefined && found !== '') return found
      if (fallback !== undefined) return fallback
      here.push(`${path.join('.') || '(root)'}: environment variable ${name} is not set`)
      return ''
    })
    if (here.length === 0) return replaced
    if (tolerance?.tolerate(path)) {
      tolerance.omitted.push(...here)
      return replaced === '' ? undefined : replaced
    }
    missing.push(...here)
    return replaced
  }
  if (Array.isArray(value)) return value.map((item, i) => substituteEnv(item, env, [...path, String(i)], missing, tolerance)).filter((item) => item !== undefined)
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) {
      const next = substituteEnv(item, env, [...path, key], missing, tolerance)
      if (next !== undefined) out[key] = next
    }
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
  /** With `readOnly`: the unset variables of plugin and adapter settings that were left out. */
  omittedEnv: string[]
}

export interface LoadOptions {
  file?: string
  env?: NodeJS.ProcessEnv
  /** Values that win over the file (from the command line). */
  overrides?: Record<string, unknown>
  /** When true, a missing file is an error even if it is the default name. */
  requireFile?: boolean
  /**
   * For commands that only read (deliveries, outbox, plugins, …): an unset variable in a plugin's or an adapter's
   * settings (their secrets) is left out instead of stopping the command. Server, storage and paths stay strict.
   */
  readOnly?: boolean
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
  const omittedEnv: string[] = []
  const tolerance: EnvTolerance | undefined = options.readOnly ? { tolerate: (path) => path[0] === 'plugins' || path[0] === 'adapters', omitted: omittedEnv } : undefined
  return { config: parseConfig(raw, { env, overrides: options.overrides, source: used, tolerance }), file: used, omittedEnv }
}

/** Validates an already-parsed config document (from a file or from code). */
export function parseConfig(
  raw: unknown,
  options: { env?: NodeJS.ProcessEnv; overrides?: Record<string, unknown>; source?: string; tolerance?: EnvTolerance } = {},
): HookcatConfig {
  const missing: string[] = []
  const substituted = substituteEnv(raw, options.env ?? process.env, [], missing, options.tolerance) as Record<string, unknown>
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
