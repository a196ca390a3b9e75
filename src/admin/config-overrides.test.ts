// Config overrides from the admin API: only changed fields stored, secrets never in plain text, revert, old saved configs converted.
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import Database from 'better-sqlite3'
import pg from 'pg'
import { dropSchema, freshSchemaUrl } from '../../test/support/postgres.js'
import { definePlugin, secret, verify, z } from '../index.js'
import { createTestHost } from '../testing/index.js'
import { demoConfig, demoPlugin, githubHeaders, SECRETS } from './test-fixtures/fixtures.js'

const TYPED = 'typed-in-the-ui-SECRET-42'

/** Every byte of the database files (main file and WAL), to look for plain-text secrets. */
function databaseBytes(dir: string): string {
  return readdirSync(dir)
    .filter((f) => f.startsWith('hookcat.db'))
    .map((f) => readFileSync(join(dir, f)).toString('latin1'))
    .join('')
}

function overrideRow(dir: string): Record<string, unknown> | undefined {
  const db = new Database(join(dir, 'hookcat.db'), { readonly: true })
  try {
    const row = db.prepare("SELECT value FROM kv WHERE plugin = 'hookcat' AND scope = 'config-overrides' AND key = 'demo'").get() as { value: string } | undefined
    return row ? (JSON.parse(row.value) as Record<string, unknown>) : undefined
  } finally {
    db.close()
  }
}

const start = (dir: string | undefined, config: Record<string, unknown>) => createTestHost({ dir, plugins: [demoPlugin], config: { plugins: { demo: { config } } } })

test('saving unchanged stores nothing; a change stores only that field; hookcat.yaml edits of other fields still apply; revert', async () => {
  let t = await start(undefined, demoConfig)
  const dir = t.dir
  try {
    // The form sends what it shows, unchanged: nothing is pinned.
    const view = (await t.admin('/api/admin/plugins/demo/config')).json()
    const same = await t.admin('/api/admin/plugins/demo/config', { method: 'PUT', json: { config: view.config } })
    assert.equal(same.status, 200, same.text)
    assert.deepEqual(same.json().overridden, [])
    assert.equal(same.json().source, 'file')
    assert.equal(overrideRow(dir), undefined)

    const changed = await t.admin('/api/admin/plugins/demo/config', { method: 'PUT', json: { config: { retries: 5, nested: { level: 'warn' } } } })
    assert.equal(changed.status, 200, changed.text)
    assert.deepEqual(changed.json().overridden.sort(), ['nested.level', 'retries'])
    assert.deepEqual(overrideRow(dir), { retries: 5, 'nested.level': 'warn' })
    const plugin = (await t.admin('/api/admin/plugins/demo')).json()
    assert.deepEqual(plugin.overridden.sort(), ['nested.level', 'retries'])
  } finally {
    await t.host.stop()
  }

  // hookcat.yaml now has another secret and another chat: both apply, the overridden field stays.
  t = await start(dir, { ...demoConfig, webhookSecret: 'rotated-secret-in-yaml', notificationChat: 'web-changed' })
  try {
    assert.equal((await t.webhook('demo', '/echo', { body: 'x' })).json().retries, 5)
    const view = (await t.admin('/api/admin/plugins/demo/config')).json()
    assert.equal(view.config.notificationChat, 'web-changed')
    assert.equal(view.fileConfig.retries, undefined)
    const body = JSON.stringify({ text: 'hi' })
    assert.equal((await t.webhook('demo', '/github', { body, headers: githubHeaders(body) })).status, 401, 'the old secret no longer verifies')

    // Revert one field, then an unknown one (refused, nothing changes), then the rest.
    const one = await t.admin('/api/admin/plugins/demo/config/revert', { method: 'POST', json: { fields: ['retries'] } })
    assert.equal(one.status, 200, one.text)
    assert.deepEqual(one.json().overridden, ['nested.level'])
    assert.equal((await t.webhook('demo', '/echo', { body: 'x' })).json().retries, 3)
    const unknown = await t.admin('/api/admin/plugins/demo/config/revert', { method: 'POST', json: { fields: ['apiToken'] } })
    assert.equal(unknown.status, 400)
    assert.equal(unknown.json().error.code, 'VALIDATION_FAILED')
    assert.ok(unknown.json().error.details.fields.apiToken)
    assert.deepEqual(overrideRow(dir), { 'nested.level': 'warn' })
    const all = await t.admin('/api/admin/plugins/demo/config/revert', { method: 'POST' })
    assert.equal(all.status, 200, all.text)
    assert.deepEqual(all.json().overridden, [])
    assert.equal(overrideRow(dir), undefined)
  } finally {
    await t.close()
    rmSync(dir, { recursive: true, force: true })
  }
})

test('a secret typed in the UI is stored encrypted with a 0600 key in the data folder; file secrets are referenced, never copied', async () => {
  let t = await start(undefined, demoConfig)
  const dir = t.dir
  try {
    const saved = await t.admin('/api/admin/plugins/demo/config', {
      method: 'PUT',
      json: { config: { apiToken: TYPED, relays: [{ name: 'one', token: { secret: true, set: true } }, { name: 'two', token: 'second-relay-SECRET-77' }] } },
    })
    assert.equal(saved.status, 200, saved.text)
    assert.ok(!saved.text.includes(TYPED))
    assert.deepEqual(saved.json().config.apiToken, { secret: true, set: true })
    const key = statSync(join(t.host.dataDir, 'config-key'))
    assert.equal(key.mode & 0o777, 0o600)
    const row = overrideRow(dir)!
    assert.deepEqual(Object.keys(row).sort(), ['apiToken', 'relays'])
    assert.deepEqual((row.relays as Array<Record<string, unknown>>)[0], { name: 'one', token: { $file: true } })
    assert.ok(t.host.secrets().includes(TYPED))
  } finally {
    await t.host.stop()
  }
  const bytes = databaseBytes(dir)
  for (const value of [TYPED, 'second-relay-SECRET-77', ...Object.values(SECRETS)]) assert.ok(!bytes.includes(value), `${value} is in the database in plain text`)

  // After a restart the encrypted secret is read back; the referenced one follows hookcat.yaml.
  t = await start(dir, { ...demoConfig, relays: [{ name: 'one', token: 'relay-token-from-env-NEW' }] })
  try {
    assert.equal((await t.admin('/api/admin/plugins/demo')).json().state, 'loaded')
    assert.ok(t.host.secrets().includes(TYPED))
    assert.ok(t.host.secrets().includes('second-relay-SECRET-77'))
    assert.ok(t.host.secrets().includes('relay-token-from-env-NEW'))
    assert.ok(!t.host.secrets().includes(SECRETS.relay))
  } finally {
    await t.close()
    rmSync(dir, { recursive: true, force: true })
  }
})

test('a whole config saved by an older version becomes overrides of the differing fields, with no plain-text secret left', async () => {
  const first = await start(undefined, demoConfig)
  const dir = first.dir
  const legacy = { ...demoConfig, retries: 9, apiToken: 'legacy-typed-SECRET-1' }
  await first.host.storage.write([{ op: 'kv.set', plugin: 'hookcat', scope: 'plugin-config', key: 'demo', value: JSON.stringify(legacy) }])
  await first.host.stop()

  const t = await start(dir, { ...demoConfig, notificationChat: 'web-new' })
  try {
    const view = (await t.admin('/api/admin/plugins/demo/config')).json()
    assert.deepEqual(view.overridden.sort(), ['apiToken', 'retries'])
    assert.equal(view.config.retries, 9)
    assert.equal(view.config.notificationChat, 'web-new', 'fields the old save did not change follow hookcat.yaml')
    assert.ok(t.host.secrets().includes('legacy-typed-SECRET-1'))
    assert.equal(await t.host.storage.kvGet('hookcat', 'plugin-config', 'demo'), undefined)
  } finally {
    await t.host.stop()
  }
  const db = new Database(join(dir, 'hookcat.db'))
  db.pragma('wal_checkpoint(TRUNCATE)')
  db.exec('VACUUM')
  db.close()
  const bytes = databaseBytes(dir)
  rmSync(dir, { recursive: true, force: true })
  for (const value of ['legacy-typed-SECRET-1', ...Object.values(SECRETS)]) assert.ok(!bytes.includes(value), `${value} is in the database in plain text`)
})

const guarded = definePlugin({
  name: 'guarded',
  version: '1.0.0',
  config: z.object({ token: secret(z.string()).optional(), signing: secret(z.string()).optional() }),
  setup(plugin) {
    plugin.mountWebhook('/public', async () => ({ ok: true }), { public: true, verify: verify.bearer('token') })
    plugin.mountWebhook('/signed', async () => ({ ok: true }), { verify: verify.bearer('signing') })
  },
})

test("each webhook's access claim is the one the ingress acts on", async () => {
  const t = await createTestHost({ plugins: [guarded], config: { plugins: { guarded: { config: { signing: 'signing-SECRET-1' } } } } })
  try {
    const access = async () => Object.fromEntries(((await t.admin('/api/admin/plugins/guarded')).json().webhooks as Array<{ path: string; access: string }>).map((w) => [w.path, w.access]))
    assert.deepEqual(await access(), { '/public': 'open', '/signed': 'verified' })
    assert.equal((await t.webhook('guarded', '/public', { body: '{}' })).status, 200)
    assert.equal((await t.webhook('guarded', '/signed', { body: '{}' })).status, 401)

    await t.admin('/api/admin/plugins/guarded/config', { method: 'PUT', json: { config: { token: 'public-now-guarded-1', signing: { secret: true, set: false } } } })
    assert.deepEqual(await access(), { '/public': 'verified', '/signed': 'refused' })
    assert.equal((await t.webhook('guarded', '/public', { body: '{}' })).status, 401)
    assert.equal((await t.webhook('guarded', '/signed', { body: '{}', headers: { authorization: 'Bearer anything' } })).status, 503)
  } finally {
    await t.close()
  }
})

test('PostgreSQL: an old whole config is converted and a typed secret stored encrypted; both read back after a restart', async () => {
  const { url, schema } = freshSchemaUrl()
  const startPg = (dir: string | undefined, config: Record<string, unknown>) => createTestHost({ dir, plugins: [demoPlugin], config: { storage: url, plugins: { demo: { config } } } })
  const first = await startPg(undefined, demoConfig)
  const dir = first.dir
  try {
    await first.host.storage.write([{ op: 'kv.set', plugin: 'hookcat', scope: 'plugin-config', key: 'demo', value: JSON.stringify({ ...demoConfig, retries: 8 }) }])
    await first.host.stop()
    const t = await startPg(dir, demoConfig)
    try {
      assert.deepEqual((await t.admin('/api/admin/plugins/demo/config')).json().overridden, ['retries'])
      const saved = await t.admin('/api/admin/plugins/demo/config', { method: 'PUT', json: { config: { apiToken: TYPED } } })
      assert.deepEqual(saved.json().overridden.sort(), ['apiToken', 'retries'])
    } finally {
      await t.host.stop()
    }
    const client = new pg.Client({ connectionString: url.split('?')[0] })
    await client.connect()
    try {
      const rows = (await client.query<{ scope: string; value: string }>(`SELECT scope, value FROM ${schema}.kv WHERE plugin = 'hookcat'`)).rows
      assert.deepEqual(rows.map((r) => r.scope), ['config-overrides'])
      for (const value of [TYPED, ...Object.values(SECRETS)]) assert.ok(!rows[0].value.includes(value), `${value} is in PostgreSQL in plain text`)
    } finally {
      await client.end()
    }
    const again = await startPg(dir, demoConfig)
    try {
      assert.equal((await again.webhook('demo', '/echo', { body: 'x' })).json().retries, 8)
      assert.ok(again.host.secrets().includes(TYPED))
    } finally {
      await again.close()
    }
  } finally {
    await dropSchema(schema)
    rmSync(dir, { recursive: true, force: true })
  }
})
