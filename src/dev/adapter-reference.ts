// Generates the table of built-in adapters in docs/adapters.md from the adapters themselves (types, chat_keys, settings).
import { fileURLToPath } from 'node:url'
import type { z } from 'zod'
import { builtinAdapters } from '../adapters/index.js'
import { secretPaths } from '../host/plugin/secret.js'

export const ADAPTERS_DOC = fileURLToPath(new URL('../../docs/adapters.md', import.meta.url))
const BEGIN = '<!-- generated: adapters (src/dev/adapter-reference.ts) -->'
const END = '<!-- end of generated adapters -->'

function settingKeys(schema: z.ZodType): string[] {
  const def = (schema as unknown as { _zod: { def: { shape?: Record<string, unknown> } } })._zod.def
  return Object.keys(def.shape ?? {}).filter((k) => k !== 'type')
}

export function adapterTable(): string {
  const rows = builtinAdapters.map((a) => {
    const secrets = secretPaths(a.config)
    const keys = settingKeys(a.config).map((k) => (secrets.some((s) => s === k || s.startsWith(`${k}.`) || s.startsWith(`${k}[]`)) ? `\`${k}\`*` : `\`${k}\``))
    return `| \`${a.type}\` | ${a.description.replace(/\|/g, '\\|')} | ${keys.join(', ') || '—'} |`
  })
  return [BEGIN, '| type | what, and its chat_keys | settings (* holds a secret) |', '|---|---|---|', ...rows, END].join('\n')
}

/** The document with its generated table replaced by the current one. */
export function withAdapterTable(doc: string): string {
  const start = doc.indexOf(BEGIN)
  const end = doc.indexOf(END)
  if (start < 0 || end < start) throw new Error(`docs/adapters.md has no ${BEGIN} … ${END} section`)
  return doc.slice(0, start) + adapterTable() + doc.slice(end + END.length)
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { readFileSync, writeFileSync } = await import('node:fs')
  // The zh-CN page holds the same generated table.
  for (const file of [ADAPTERS_DOC, ADAPTERS_DOC.replace(/\.md$/, '.zh-CN.md')]) {
    writeFileSync(file, withAdapterTable(readFileSync(file, 'utf8')))
    process.stdout.write(`updated ${file}\n`)
  }
}
