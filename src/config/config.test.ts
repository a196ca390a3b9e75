// hookcat.yaml: ${ENV} substitution, validation that names the field, unknown keys refused, sizes and durations; and a
// host that refuses to start on a bad config.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigError, loadConfig, parseConfig } from './load.js'
import { createTestHost } from '../testing/index.js'
import { definePlugin, secret, z } from '../index.js'

/** The problems a bad config is refused with (one line each). */
function problems(raw: unknown, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parseConfig(raw, { env })
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error))
    return error.problems
  }
  assert.fail('the config was accepted')
}

test('defaults: port 8021, 1 MiB body limit, SQLite under ./data', () => {
  const config = parseConfig({}, { env: {} })
  assert.equal(config.server.port, 8021)
  assert.equal(config.server.bodyLimit, 1024 * 1024)
  assert.equal(config.storage, 'sqlite:./data/hookcat.db')
  assert.deepEqual(config.plugins, {})
})

test('${VAR} and ${VAR:-default} are substituted in every string; a missing variable is named with its field', () => {
  const env = { PORT_TEXT: 'x', TOKEN: 'abcdefghijklmnopqrstuvwxyz', CHAT: 'test-ops', EMPTY: '' }
  const config = parseConfig(
    {
      server: { adminToken: '${TOKEN}', publicUrl: 'https://${HOST:-hooks.example.com}/' },
      plugins: { gh: { config: { chats: ['${CHAT}', 'pre-${CHAT}-post'], fallback: '${EMPTY:-used}' } } },
    },
    { env },
  )
  assert.equal(config.server.adminToken, env.TOKEN)
  assert.equal(config.server.publicUrl, 'https://hooks.example.com/')
  assert.deepEqual(config.plugins.gh.config, { chats: ['test-ops', 'pre-test-ops-post'], fallback: 'used' })
  const missing = problems({ server: { adminToken: '${HOOKCAT_NOT_SET_ANYWHERE}' } })
  assert.equal(missing.length, 1)
  assert.match(missing[0], /^server\.adminToken: .*HOOKCAT_NOT_SET_ANYWHERE/)
})

test('invalid values are refused with the field named and what is wrong', () => {
  const cases: Array<[unknown, RegExp]> = [
    [{ server: { port: 'eighty' } }, /^server\.port: /],
    [{ server: { port: 70000 } }, /^server\.port: /],
    [{ server: { adminToken: 'short' } }, /^server\.adminToken: must be at least 16 characters/],
    [{ server: { publicUrl: 'not a url' } }, /^server\.publicUrl: /],
    [{ server: { bodyLimit: '1xb' } }, /^server\.bodyLimit: "1xb" is not a size/],
    [{ server: { requestTimeout: 'soon' } }, /^server\.requestTimeout: "soon" is not a duration/],
    [{ storage: 'mysql://x' }, /^storage: must be "sqlite:<path>" or a postgres:\/\/ URL/],
    [{ inbox: { maxAttempts: 0 } }, /^inbox\.maxAttempts: /],
    [{ plugins: { gh: { enabled: 'yes' } } }, /^plugins\.gh\.enabled: /],
    [{ adapters: { 'Bad-Name': { type: 'console' } } }, /^adapters\.Bad-Name/],
  ]
  for (const [raw, expected] of cases) {
    const found = problems(raw)
    assert.ok(found.some((p) => expected.test(p)), `${JSON.stringify(raw)} → ${JSON.stringify(found)}`)
  }
})

test('unknown keys are refused, at the top level and inside a section', () => {
  assert.ok(problems({ servr: { port: 1 } }).some((p) => /servr/.test(p)))
  assert.ok(problems({ server: { prot: 1 } }).some((p) => /^server: .*prot/.test(p)))
  assert.ok(problems({ plugins: { gh: { enabeld: true } } }).some((p) => /^plugins\.gh: .*enabeld/.test(p)))
})

test('sizes and durations take units', () => {
  const config = parseConfig(
    { server: { bodyLimit: '512kb', requestTimeout: '30s', handlerTimeout: 1500 }, retention: { maxAge: '7d', storeBodyLimit: '2mb' }, inbox: { backoffBase: '250ms', backoffMax: '5m' } },
    { env: {} },
  )
  assert.equal(config.server.bodyLimit, 512 * 1024)
  assert.equal(config.server.requestTimeout, 30_000)
  assert.equal(config.server.handlerTimeout, 1500)
  assert.equal(config.retention.maxAge, 7 * 86_400_000)
  assert.equal(config.retention.storeBodyLimit, 2 * 1024 * 1024)
  assert.equal(config.inbox.backoffBase, 250)
  assert.equal(config.inbox.backoffMax, 300_000)
  assert.equal(parseConfig({ server: { bodyLimit: '1MB' } }, { env: {} }).server.bodyLimit, 1024 * 1024)
})

test('loadConfig reads the YAML file (--config or HOOKCAT_CONFIG) and names the file on errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookcat-config-'))
  try {
    const file = join(dir, 'hookcat.yaml')
    writeFileSync(file, 'server:\n  port: ${PORT:-9000}\n  bodyLimit: 2mb\nplugins:\n  status:\n    enabled: false\n')
    // ${PORT:-9000} substitutes to the string "9000": a port must be a number, and the message says so.
    assert.throws(() => loadConfig({ file, env: {} }), (e: ConfigError) => e.problems.some((p) => /^server\.port: /.test(p)) && e.message.includes(file))
    writeFileSync(file, 'server:\n  port: 9000\n  bodyLimit: 2mb\n  adminToken: ${ADMIN}\nplugins:\n  status:\n    enabled: false\n')
    const loaded = loadConfig({ env: { HOOKCAT_CONFIG: file, ADMIN: 'a-long-enough-admin-token' } })
    assert.equal(loaded.file, file)
    assert.equal(loaded.config.server.port, 9000)
    assert.equal(loaded.config.server.bodyLimit, 2 * 1024 * 1024)
    assert.equal(loaded.config.server.adminToken, 'a-long-enough-admin-token')
    assert.equal(loaded.config.plugins.status.enabled, false)
    writeFileSync(file, 'server: [unclosed\n')
    assert.throws(() => loadConfig({ file, env: {} }), /not valid YAML/)
    writeFileSync(file, '- a\n- list\n')
    assert.throws(() => loadConfig({ file, env: {} }), /mapping/)
    assert.throws(() => loadConfig({ file: join(dir, 'missing.yaml'), env: {} }), /does not exist/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('a host refuses to start on an invalid adapter or plugin config; with strictConfig: false the plugin is reported and skipped', async () => {
  await assert.rejects(createTestHost({ config: { adapters: { qq: { type: 'no_such_type' } } } }), (e: ConfigError) => /adapters\.qq\.type: unknown adapter type "no_such_type"/.test(e.message))
  const strict = definePlugin({
    name: 'strict',
    version: '1.0.0',
    config: z.object({ token: secret(z.string().min(8)), chat: z.string() }),
    setup(p) {
      p.mountWebhook('/x', () => ({ chat: p.config.chat }), { public: true })
    },
  })
  const fine = definePlugin({ name: 'fine', version: '1.0.0', setup: (p) => p.mountWebhook('/x', () => ({ ok: true }), { public: true }) })
  const bad = { plugins: { strict: { config: { token: 'short', chat: 5 } } } }
  await assert.rejects(createTestHost({ plugins: [strict, fine], config: bad }), (e: ConfigError) => {
    assert.match(e.message, /plugins\.strict\.config\.token/)
    assert.match(e.message, /plugins\.strict\.config\.chat/)
    assert.doesNotMatch(e.message, /short/, 'the secret value is not quoted in the error')
    return true
  })
  const t = await createTestHost({ plugins: [strict, fine], strictConfig: false, config: bad })
  try {
    const entry = t.host.registry.lookup('strict')
    assert.equal(entry?.state, 'failed')
    assert.match(entry?.error ?? '', /plugins\.strict\.config\.token/)
    assert.match(entry?.error ?? '', /plugins\.strict\.config\.chat/)
    assert.doesNotMatch(entry?.error ?? '', /short/, 'the secret value is not quoted in the error')
    assert.equal((await t.webhook('fine', '/x')).status, 200)
  } finally {
    await t.close()
  }
})
