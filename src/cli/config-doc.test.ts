// docs/configuration.md matches the schemas it is generated from, and hookcat.example.yaml is a valid config.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { parse as parseYaml } from 'yaml'
import { builtinAdapters } from '../adapters/index.js'
import { parseConfig } from '../config/load.js'
import { configSchema } from '../config/schema.js'
import { builtinPlugins } from '../plugins/index.js'
import { DOC_FILE, configKeyRows, withGeneratedTable } from './config-doc.js'

const EXAMPLE = fileURLToPath(new URL('../../hookcat.example.yaml', import.meta.url))

test('docs/configuration.md holds the reference generated from the current schemas', () => {
  const doc = readFileSync(DOC_FILE, 'utf8')
  assert.equal(doc, withGeneratedTable(doc), 'out of date: run `node --import tsx src/cli/config-doc.ts` and commit docs/configuration.md')
})

test('the reference names every top-level key with its default', () => {
  const rows = configKeyRows()
  for (const key of Object.keys(configSchema.shape)) assert.ok(rows.some((r) => r.key === key || r.key.startsWith(`${key}.`)), key)
  assert.equal(rows.find((r) => r.key === 'server.port')?.default, '`8021`')
  assert.equal(rows.find((r) => r.key === 'server.bodyLimit')?.default, '`1mb`')
})

test('hookcat.example.yaml parses, its adapters and plugin configs validate, and it shows every top-level key', () => {
  const raw = parseYaml(readFileSync(EXAMPLE, 'utf8')) as Record<string, unknown>
  for (const key of Object.keys(configSchema.shape)) assert.ok(key in raw, `example lacks ${key}`)
  const config = parseConfig(raw, { env: { HOOKCAT_ADMIN_TOKEN: 'x'.repeat(24), GITHUB_WEBHOOK_SECRET: 'secret' } })
  assert.equal(config.server.adminToken, 'x'.repeat(24))
  for (const [name, settings] of Object.entries(config.adapters)) {
    const factory = builtinAdapters.find((a) => a.type === (settings.type ?? name))
    assert.ok(factory, `adapter type of ${name}`)
    const parsed = factory.config.safeParse(settings)
    assert.ok(parsed.success, `adapters.${name}: ${parsed.error?.message}`)
  }
  for (const [name, entry] of Object.entries(config.plugins)) {
    const plugin = builtinPlugins.find((p) => p.name === name)
    assert.ok(plugin, `plugin ${name}`)
    if (!entry.enabled || !plugin.config) continue
    const parsed = plugin.config.safeParse(entry.config)
    assert.ok(parsed.success, `plugins.${name}.config: ${parsed.error?.message}`)
  }
})

test('hookcat.example.yaml refuses to start without its required secrets, naming the key', () => {
  const raw = parseYaml(readFileSync(EXAMPLE, 'utf8'))
  assert.throws(() => parseConfig(raw, { env: {} }), /server\.adminToken: environment variable HOOKCAT_ADMIN_TOKEN is not set/)
})
