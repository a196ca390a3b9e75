// No configured secret in any log line, webhook answer, admin API answer, or stored credential field — after good, bad and misdirected requests.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestHost } from '../../testing/index.js'
import { definePlugin, secret, z } from '../../index.js'
import { routes, securityConfig, securityPlugin, SECRETS, validHeaders } from '../../../test/fixtures/security/plugin.js'
import { badCases } from '../../../test/fixtures/security/corpus.js'

/** Every secret string of the fixture, the pieces of Basic's user:password included. */
function allSecrets(extra: string[]): string[] {
  const values = Object.values(SECRETS).flatMap((v) => (typeof v === 'string' ? [v] : [...v]))
  return [...new Set([...values, SECRETS.basic.split(':')[1], ...extra])]
}

test('no secret appears in logs, webhook answers, admin answers or stored credentials', async () => {
  const sec = securityPlugin('sec')
  const nosec = securityPlugin('nosec')
  const t = await createTestHost({ plugins: [sec.plugin, nosec.plugin], config: securityConfig('sec') })
  const texts: string[] = []
  const keep = <R extends { status: number; text: string; headers: Headers }>(label: string, r: R): R => {
    texts.push(`${label} ${r.status} ${r.text} ${JSON.stringify([...r.headers])}`)
    return r
  }
  try {
    const secrets = allSecrets([t.adminToken])
    for (const s of t.host.secrets()) assert.ok(secrets.includes(s) || s === SECRETS.basic, 'the test greps for every secret the host knows')
    const body = Buffer.from('{"hello":"world"}')
    const paths = Object.keys(routes())
    for (const [i, path] of paths.entries()) {
      const signed = validHeaders(path, body, Date.now(), `ok-${path}`)
      const q = signed.query ? Object.fromEntries(new URLSearchParams(signed.query)) : undefined
      keep(`valid ${path}`, await t.webhook('sec', path, { body, headers: signed.headers, query: q }))
      keep(`unconfigured ${path}`, await t.webhook('nosec', path, { body, headers: signed.headers, query: q }))
      // Real secrets sent to the wrong place: wrong webhook, query parameters, credential headers of other schemes.
      // Each route gets three of the secrets; over all routes every secret is sent several times.
      for (const s of [0, 1, 2].map((k) => secrets[(i * 3 + k) % secrets.length])) {
        keep(`misdirected ${path}`, await t.webhook('sec', path, {
          body,
          headers: { authorization: `Bearer ${s}`, 'x-gitlab-token': s, 'x-hub-signature-256': s, 'webhook-signature': `v1,${s}` },
          query: { token: s, secret: s, api_key: s },
        }))
      }
    }
    // Percent-encoded parameter names are still recognised as credentials.
    keep('encoded name', await t.request(`/api/plugin/sec/webhook/url?%74oken=${SECRETS.urlToken}&%6Bey=${SECRETS.gitea}`, { method: 'POST', body }))
    const cases = badCases(Date.now()).filter((c, i) => i % 3 === 0 && !c.raw)
    for (const c of cases) {
      const q = c.query ? Object.fromEntries(new URLSearchParams(c.query)) : undefined
      keep(c.name, await t.webhook('sec', c.path, { body: c.body, headers: c.headers, query: q }))
    }

    // The admin API: lists, every delivery's detail, plugin views and configs.
    const list = keep('admin deliveries', await t.admin('/api/admin/deliveries?limit=500'))
    assert.equal(list.status, 200, list.text)
    const items = (list.json() as { deliveries: Array<{ id: string }> }).deliveries
    assert.ok(items.length > 0, 'the admin API lists the deliveries')
    for (const d of items.slice(0, 60)) keep(`admin delivery ${d.id}`, await t.admin(`/api/admin/deliveries/${d.id}`))
    for (const name of ['sec', 'nosec']) {
      keep(`admin plugin ${name}`, await t.admin(`/api/admin/plugins/${name}`))
      keep(`admin config ${name}`, await t.admin(`/api/admin/plugins/${name}/config`))
    }

    const logText = t.logs.map((l) => JSON.stringify(l)).join('\n')
    assert.ok(logText.includes('webhook request refused'), 'refusals were logged')
    for (const s of secrets) {
      assert.ok(!logText.includes(s), `a log line holds the secret ${s.slice(0, 6)}…`)
      const hit = texts.find((x) => x.includes(s))
      assert.equal(hit, undefined, `an answer holds the secret ${s.slice(0, 6)}…: ${hit?.slice(0, 200)}`)
    }

    // What is stored: credentials in headers and the query string are masked before they reach the delivery log.
    const stored = await t.host.storage.listDeliveries({ plugin: 'sec', limit: 10_000 })
    assert.ok(stored.length > 100)
    for (const row of stored) {
      const text = `${row.query} ${JSON.stringify(row.headers)}`
      for (const s of secrets) assert.ok(!text.includes(s), `delivery ${row.id} stores a secret in ${text.slice(0, 200)}`)
    }
  } finally {
    await t.close()
  }
})

// A plugin's own error text is logged as it is; scrubbing known secret values from every log line belongs in util/logger.ts (not ingress).
test('a handler error quoting a plugin secret: bare 500 for the client, and no secret in the log', async () => {
  const leaky = definePlugin({
    name: 'leaky',
    version: '1.0.0',
    config: z.object({ apiKey: secret(z.string()) }),
    setup(p) {
      p.mountWebhook('/fail', () => {
        throw new Error(`upstream refused key ${p.config.apiKey}`)
      }, { public: true })
    },
  })
  const t = await createTestHost({ plugins: [leaky], config: { plugins: { leaky: { config: { apiKey: 'leaky-api-key-Pq4Rs8Tu2' } } } } })
  try {
    const failed = await t.webhook('leaky', '/fail', { body: {} })
    assert.equal(failed.status, 500)
    assert.ok(!failed.text.includes('Pq4Rs8Tu2'))
    assert.ok(!t.logs.some((l) => JSON.stringify(l).includes('Pq4Rs8Tu2')), 'a log line quotes the secret')
  } finally {
    await t.close()
  }
})
