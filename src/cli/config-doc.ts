// Generates the key table of docs/configuration.md from the zod schema of hookcat.yaml, so the doc cannot drift from the code.
// Run `node --import tsx src/cli/config-doc.ts` to rewrite the table after changing src/config/schema.ts.
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { z } from 'zod'
import { builtinAdapters } from '../adapters/index.js'
import { configSchema } from '../config/schema.js'
import { secretPaths } from '../host/plugin/secret.js'
import { builtinPlugins } from '../plugins/index.js'
import { generatedMarkers, replaceGenerated } from './doc-section.js'

export const DOC_FILE = fileURLToPath(new URL('../../docs/configuration.md', import.meta.url))
const MARKERS = generatedMarkers('config-keys', 'src/cli/config-doc.ts')

interface JsonSchema {
  type?: string
  description?: string
  properties?: Record<string, JsonSchema>
  additionalProperties?: JsonSchema | boolean
  anyOf?: JsonSchema[]
  items?: JsonSchema
  enum?: unknown[]
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  minLength?: number
  format?: string
  default?: unknown
}

export interface KeyRow {
  key: string
  type: string
  default: string
  description: string
}

/** Sizes (bytes) and durations (ms) are "number or string" in the schema; they differ in their number's lower bound. */
function kindOf(schema: JsonSchema): 'size' | 'duration' | undefined {
  const [number, text] = schema.anyOf ?? []
  if (!number || text?.type !== 'string' || number.type !== 'integer') return undefined
  return number.exclusiveMinimum === 0 ? 'size' : 'duration'
}

function typeOf(schema: JsonSchema): string {
  const kind = kindOf(schema)
  if (kind === 'size') return 'size: bytes, or "512kb", "25mb"'
  if (kind === 'duration') return 'duration: ms, or "30s", "5m", "7d"'
  if (schema.anyOf) return schema.anyOf.map(typeOf).join(' or ')
  if (schema.enum) return schema.enum.map((v) => `\`${String(v)}\``).join(' \\| ')
  if (schema.type === 'array') return `list of ${schema.items?.type ?? 'values'}`
  if (schema.type === 'integer') {
    const low = schema.minimum ?? (schema.exclusiveMinimum === undefined ? undefined : schema.exclusiveMinimum + 1)
    const high = schema.maximum !== undefined && schema.maximum < Number.MAX_SAFE_INTEGER ? schema.maximum : undefined
    return low !== undefined && high !== undefined ? `integer ${low}–${high}` : low !== undefined ? `integer ≥ ${low}` : 'integer'
  }
  if (schema.format === 'uri') return 'URL'
  if (schema.type === 'string' && schema.minLength) return `string (≥ ${schema.minLength} characters)`
  return schema.type ?? 'any'
}

function formatDefault(value: unknown, kind: 'size' | 'duration' | undefined): string {
  if (value === undefined) return ''
  if (kind === 'size' && typeof value === 'number') return `\`${humanUnits(value, [['gb', 1024 ** 3], ['mb', 1024 ** 2], ['kb', 1024]], 'b')}\``
  if (kind === 'duration' && typeof value === 'number') return `\`${humanUnits(value, [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]], 'ms')}\``
  return `\`${JSON.stringify(value)}\``
}

function humanUnits(value: number, units: Array<[string, number]>, base: string): string {
  for (const [unit, factor] of units) if (value >= factor && value % factor === 0) return `${value / factor}${unit}`
  return `${value}${base}`
}

/** Words for keys the schema leaves without a description. */
const EXTRA: Record<string, string> = {
  'log.level': 'Lowest level of log lines written (JSON, to stdout)',
  adapters: 'Chat adapter instances by name; the name is the first part of a chat_key (`qq-group_123`)',
  'adapters.<name>.type': 'Adapter type (`onebot_v11`, `telegram`, `console`, …); may be left out when the name is the type',
  'adapters.<name>.*': "The type's own settings and credentials (see the adapter's documentation)",
  plugins: 'Per-plugin settings by plugin name',
  'plugins.<name>.enabled': 'Load the plugin at start (the admin API can change this at runtime)',
  'plugins.<name>.config': "The plugin's own settings, validated by its schema (secrets may use ${ENV})",
  'outbox.backoffBase': 'First retry delay of a message; grows each attempt, with jitter',
  'outbox.backoffMax': 'Longest retry delay of a message',
}

/** Every key of a schema, depth first, with its type, default and description; `secrets` are marked with *. */
export function schemaRows(schema: z.ZodType, options: { defaults?: unknown; extra?: Record<string, string>; secrets?: string[]; skip?: string[] } = {}): KeyRow[] {
  const root = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema
  const rows: KeyRow[] = []
  const add = (key: string, type: string, defaultText: string, description: string | undefined) => {
    if (options.skip?.includes(key)) return
    const secret = options.secrets?.includes(key.replace(/\.<name>/g, '')) ? ' (secret)' : ''
    rows.push({ key, type: `${type}${secret}`, default: defaultText, description: (description ?? options.extra?.[key] ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ') })
  }
  const visit = (node: JsonSchema, path: string[], defaultValue: unknown) => {
    const key = path.join('.')
    if (node.type === 'object' && node.properties) {
      for (const [name, child] of Object.entries(node.properties)) visit(child, [...path, name], (defaultValue as Record<string, unknown> | undefined)?.[name])
      return
    }
    const entries = node.additionalProperties
    if (node.type === 'object' && typeof entries === 'object' && entries.type === 'object') {
      add(key, 'mapping: name → settings', '', node.description)
      visit(entries, [...path, '<name>'], undefined)
      // An instance that takes settings of its own besides the listed ones (an adapter's credentials).
      if (entries.additionalProperties !== false) add(`${key}.<name>.*`, 'any', '', undefined)
      return
    }
    if (node.type === 'array' && node.items?.type === 'object' && node.items.properties) {
      add(key, 'list of mappings', formatDefault(defaultValue ?? node.default, undefined), node.description)
      visit(node.items, [`${key}[]`], undefined)
      return
    }
    if (node.type === 'object') return add(key, 'mapping', '', node.description)
    const value = defaultValue ?? node.default
    add(key, typeOf(node), Array.isArray(value) && value.length === 0 ? '`[]`' : formatDefault(value, kindOf(node)), node.description)
  }
  visit(root, [], options.defaults)
  return rows
}

/** Every key of hookcat.yaml with its default (from parsing an empty file). */
export function configKeyRows(): KeyRow[] {
  return schemaRows(configSchema, { defaults: configSchema.parse({}), extra: EXTRA })
}

export function formatRows(rows: KeyRow[]): string {
  const lines = ['| key | type | default | description |', '|---|---|---|---|']
  for (const row of rows) lines.push(`| \`${row.key}\` | ${row.type} | ${row.default} | ${row.description} |`)
  return lines.join('\n')
}

/** The generated part of docs/configuration.md: hookcat.yaml's keys, each adapter type's settings, each built-in plugin's config. */
export function configReference(): string {
  const out = ['### Every key of hookcat.yaml', '', formatRows(configKeyRows()), '', '### Adapter types (`adapters.<name>`)', '']
  for (const adapter of builtinAdapters) {
    const rows = schemaRows(adapter.config, { secrets: secretPaths(adapter.config), skip: ['type'] })
    out.push(`#### \`${adapter.type}\``, '', oneLine(adapter.description), '', rows.length ? formatRows(rows) : 'No settings.', '')
  }
  out.push('### Built-in plugins (`plugins.<name>.config`)', '')
  for (const plugin of builtinPlugins) {
    const rows = plugin.config ? schemaRows(plugin.config, { secrets: secretPaths(plugin.config) }) : []
    out.push(`#### \`${plugin.name}\``, '', oneLine(plugin.description ?? ''), '', rows.length ? formatRows(rows) : 'No settings.', '')
  }
  return out.join('\n').trimEnd()
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

/** The doc with its generated section replaced by the current reference. */
export function withGeneratedTable(doc: string): string {
  return replaceGenerated(doc, MARKERS, configReference())
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // The zh-CN page holds the same generated reference.
  for (const file of [DOC_FILE, DOC_FILE.replace(/\.md$/, '.zh-CN.md')]) {
    writeFileSync(file, withGeneratedTable(readFileSync(file, 'utf8')))
    process.stdout.write(`updated ${file}\n`)
  }
}
