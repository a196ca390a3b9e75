// Admin API: plugins (list, detail, enable, disable, reload) and their config (masked read, validated write, kept secrets).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createTestHost } from '../testing/index.js'
import { demoConfig, demoHost, githubHeaders, SECRETS } from './test-fixtures/fixtures.js'

test('plugins are listed with full webhook URLs, verification and whether the secret is set', async () => {
  const t = await demoHost()
  try {
    const r = await t.admin('/api/admin/plugins')
    assert.equal(r.status, 200, r.text)
    const demo = r.json().plugins.find((p: any) => p.name === 'demo')
    assert.equal(demo.version, '1.2.3')
    assert.equal(demo.state, 'loaded')
    assert.equal(demo.enabled, true)
    const gh = demo.webhooks.find((w: any) => w.path === '/github')
    assert.equal(gh.url, `${t.url}/api/plugin/demo/webhook/github`)
    assert.equal(gh.mode, 'async')
    assert.equal(gh.secretSet, true)
    assert.ok(gh.verify[0].length > 0)
    assert.deepEqual(r.json().loadProblems, [])
    assert.deepEqual(demo.secretFields.sort(), ['apiToken', 'nested.hmac', 'relays[].token', 'webhookSecret'])
    const one = await t.admin('/api/admin/plugins/demo')
    assert.equal(one.json().name, 'demo')
    const missing = await t.admin('/api/admin/plugins/nope')
    assert.equal(missing.status, 404)
    assert.equal(missing.json().error.code, 'PLUGIN_NOT_FOUND')
  } finally {
    await t.close()
  }
})

test('disable, enable and reload take effect on the webhook at once', async () => {
  const t = await demoHost()
  try {
    const off = await t.admin('/api/admin/plugins/demo/disable', { method: 'POST' })
    assert.equal(off.status, 200, off.text)
    assert.equal(off.json().state, 'disabled')
    assert.equal((await t.webhook('demo', '/echo', { body: 'x' })).status, 404)
    const on = await t.admin('/api/admin/plugins/demo/enable', { method: 'POST' })
    assert.equal(on.json().state, 'loaded')
    assert.equal((await t.webhook('demo', '/echo', { body: 'x' })).status, 200)
    const reloaded = await t.admin('/api/admin/plugins/demo/reload', { method: 'POST' })
    assert.equal(reloaded.status, 200, reloaded.text)
    assert.equal(reloaded.json().state, 'loaded')
    assert.equal((await t.admin('/api/admin/plugins/nope/enable', { method: 'POST' })).status, 404)
  } finally {
    await t.close()
  }
})

test('config is read with secrets masked and a JSON Schema whose secret fields are write-only', async () => {
  const t = await demoHost()
  try {
    const r = await t.admin('/api/admin/plugins/demo/config')
    assert.equal(r.status, 200, r.text)
    const body = r.json()
    assert.equal(body.source, 'file')
    assert.deepEqual(body.config.webhookSecret, { secret: true, set: true })
    assert.deepEqual(body.config.nested.hmac, { secret: true, set: true })
    assert.deepEqual(body.config.relays[0], { name: 'one', token: { secret: true, set: true } })
    const props = body.schema.properties
    assert.equal(props.webhookSecret.writeOnly, true)
    assert.equal(props.webhookSecret.description, 'GitHub webhook secret')
    assert.equal(props.apiToken.title, 'API token')
    assert.equal(props.retries.default, 3)
    assert.equal(props.notificationChat.writeOnly, undefined)
    assert.equal(props.nested.properties.hmac.writeOnly, true)
    assert.equal(props.relays.items.properties.token.writeOnly, true)
    for (const value of Object.values(SECRETS)) assert.ok(!r.text.includes(value))
  } finally {
    await t.close()
  }
})

test('config writes are validated per field, keep omitted secrets, persist across restarts and apply at once', async () => {
  const t = await demoHost()
  try {
    const bad = await t.admin('/api/admin/plugins/demo/config', { method: 'PUT', json: { config: { retries: 99, notificationChat: '', nested: { level: 'loud' } } } })
    assert.equal(bad.status, 400, bad.text)
    const error = bad.json().error
    assert.equal(error.code, 'VALIDATION_FAILED')
    assert.ok(error.details.fields.retries)
    assert.ok(error.details.fields.notificationChat)
    assert.ok(error.details.fields['nested.level'])
    assert.equal((await t.admin('/api/admin/plugins/demo/config', { method: 'PUT', body: '{nope', headers: { 'content-type': 'application/json' } })).json().error.code, 'INVALID_JSON')
    assert.equal((await t.admin('/api/admin/plugins/demo/config', { method: 'PUT', json: [1] })).status, 400)

    // Secrets omitted or sent back as the mask keep their values; a new one replaces.
    const ok = await t.admin('/api/admin/plugins/demo/config', {
      method: 'PUT',
      json: { config: { retries: 7, apiToken: { secret: true, set: true }, nested: { level: 'warn' }, relays: [{ name: 'one' }, { name: 'two', token: 'new-relay-token-XYZ' }] } },
    })
    assert.equal(ok.status, 200, ok.text)
    assert.equal(ok.json().source, 'admin')
    assert.equal(ok.json().config.retries, 7)
    assert.deepEqual(ok.json().config.webhookSecret, { secret: true, set: true })
    assert.ok(!ok.text.includes('new-relay-token-XYZ'))
    const echo = await t.webhook('demo', '/echo', { body: 'x' })
    assert.equal(echo.json().retries, 7)
    // The kept secret still verifies GitHub signatures.
    const body = JSON.stringify({ text: 'hi' })
    assert.equal((await t.webhook('demo', '/github', { body, headers: githubHeaders(body) })).status, 202)
    assert.ok(t.host.secrets().includes('new-relay-token-XYZ'))
    assert.ok(t.host.secrets().includes(SECRETS.hmac))

    // Cleared with the unset marker: a required secret then fails validation.
    const cleared = await t.admin('/api/admin/plugins/demo/config', { method: 'PUT', json: { config: { webhookSecret: { secret: true, set: false } } } })
    assert.equal(cleared.status, 400)
    assert.ok(cleared.json().error.details.fields.webhookSecret)
  } finally {
    await t.host.stop()
  }
  // Restart on the same folder with another secret in hookcat.yaml: the overridden field stays, the file's secret applies.
  const again = await createTestHost({ dir: t.dir, plugins: [(await import('./test-fixtures/fixtures.js')).demoPlugin], config: { plugins: { demo: { config: { ...demoConfig, webhookSecret: 'other-secret-value' } } } } })
  try {
    assert.equal((await again.webhook('demo', '/echo', { body: 'x' })).json().retries, 7)
    assert.equal((await again.admin('/api/admin/plugins/demo/config')).json().source, 'admin')
    assert.ok(again.host.secrets().includes('other-secret-value'))
  } finally {
    await again.close()
  }
})

test('a plugin that failed on an invalid config is repaired by saving a valid one', async () => {
  const { demoPlugin } = await import('./test-fixtures/fixtures.js')
  const t = await createTestHost({ plugins: [demoPlugin], strictConfig: false, config: { plugins: { demo: { config: { retries: 3 } } } } })
  try {
    const before = (await t.admin('/api/admin/plugins/demo')).json()
    assert.equal(before.state, 'failed')
    assert.match(before.error, /webhookSecret/)
    const fixed = await t.admin('/api/admin/plugins/demo/config', { method: 'PUT', json: { config: { webhookSecret: 'a-new-secret-1' } } })
    assert.equal(fixed.status, 200, fixed.text)
    assert.equal((await t.admin('/api/admin/plugins/demo')).json().state, 'loaded')
  } finally {
    await t.close()
  }
})
