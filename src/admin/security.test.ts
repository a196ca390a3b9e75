// Admin API and UI security: every route refuses a missing or wrong token, the OpenAPI document lists every route,
// no configured secret appears in any answer, security headers are sent and the UI serves only its own files.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { connect } from 'node:net'
import { definePlugin, secret, z } from '../index.js'
import { createTestHost } from '../testing/index.js'
import { createAdminApp } from './app.js'
import { openApiDocument } from './openapi.js'
import { demoConfig, demoPlugin, failing, githubHeaders, readEvents, SECRETS, until } from './test-fixtures/fixtures.js'
import { flakyAdapter } from './test-fixtures/fixtures.js'

const LEAKY_SECRET = 'leaky-secret-VALUE-7777'
const leaky = definePlugin({
  name: 'leaky',
  version: '0.0.1',
  config: z.object({ token: secret(z.string()) }),
  setup(plugin) {
    // A careless plugin that quotes its own secret in an error: the admin API must still not show it.
    throw new Error(`could not log in with ${plugin.config.token}`)
  },
})

function operations(): Array<{ method: string; path: string }> {
  const paths = openApiDocument().paths as Record<string, Record<string, unknown>>
  return Object.entries(paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path: path.replace(/\{[^}]+\}/g, 'x') })))
}

test('every admin route is in the OpenAPI document, and refuses a missing, wrong or malformed token', async () => {
  const t = await createTestHost({ plugins: [demoPlugin], config: { plugins: { demo: { config: demoConfig } } } })
  try {
    const documented = new Set(Object.entries(openApiDocument().paths as Record<string, object>).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)))
    const served = createAdminApp(t.host)
      .routes.filter((r) => r.method !== 'ALL')
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`)
    assert.ok(served.length >= 25)
    for (const route of served) assert.ok(documented.has(route), `${route} is not in openapi.json`)
    for (const route of documented) assert.ok(served.includes(route), `${route} is documented but not served`)

    const doc = await t.admin('/api/admin/openapi.json')
    assert.equal(doc.json().openapi, '3.1.0')
    const wrong = [undefined, 'Bearer wrong-token', `Bearer ${t.adminToken}x`, `Basic ${t.adminToken}`, t.adminToken, `Bearer ${t.adminToken.slice(1)}`]
    for (const { method, path } of [...operations(), { method: 'GET', path: '/api/admin/unknown' }, { method: 'DELETE', path: '/api/admin/plugins' }]) {
      for (const authorization of wrong) {
        const res = await t.request(path, { method, headers: authorization ? { authorization } : {} })
        assert.equal(res.status, 401, `${method} ${path} with ${authorization ? 'a wrong token' : 'no token'}`)
        assert.equal(res.json().error.code, 'UNAUTHORIZED')
        assert.equal(res.headers.get('access-control-allow-origin'), null)
      }
    }
    const preflight = await t.request('/api/admin/plugins', { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } })
    assert.equal(preflight.headers.get('access-control-allow-origin'), null)
    assert.equal((await t.admin('/api/admin/unknown')).status, 404)
  } finally {
    await t.close()
  }
})

test('no configured secret value appears in any admin answer or event', async () => {
  const t = await createTestHost({
    plugins: [demoPlugin, leaky],
    adapters: [flakyAdapter],
    config: { adapters: { flaky: { type: 'flaky' } }, plugins: { demo: { config: demoConfig }, leaky: { config: { token: LEAKY_SECRET } } } },
  })
  failing.on = true
  const answers: string[] = []
  const record = async (path: string, init?: RequestInit & { json?: unknown }) => {
    const res = await t.admin(path, init)
    answers.push(res.text)
    return res
  }
  try {
    // Traffic that could carry secrets: signed deliveries, a body quoting a secret, messages, a dead letter.
    const body = JSON.stringify({ text: `quoting ${SECRETS.apiToken}` })
    const ticket = (await record('/api/admin/tickets', { method: 'POST', json: { stream: '/events' } })).json().ticket
    const events = await readEvents(`${t.url}/api/admin/events?ticket=${encodeURIComponent(ticket)}`, (e) => e.some((x) => x.event === 'message'), {
      onOpen: () => t.webhook('demo', '/github', { body, headers: githubHeaders(body) }),
    })
    answers.push(JSON.stringify(events))
    await t.webhook('demo', '/echo', { body: SECRETS.relay, headers: { authorization: `Bearer ${SECRETS.webhookSecret}` } })
    await record('/api/admin/send', { method: 'POST', json: { chatKey: 'flaky-x', message: 'to a dead letter' } })
    await until(() => t.admin('/api/admin/outbox?state=dead'), (r) => r.json().messages.length === 1)
    const roomTicket = (await record('/api/admin/tickets', { method: 'POST', json: { stream: '/web/rooms/alerts/stream' } })).json().ticket
    const room = (await readEvents(`${t.url}/api/admin/web/rooms/alerts/stream?ticket=${encodeURIComponent(roomTicket)}`, (e) => e.length >= 1))
    answers.push(JSON.stringify(room))

    for (const path of ['/api/admin/plugins', '/api/admin/plugins/demo', '/api/admin/plugins/leaky', '/api/admin/plugins/demo/config', '/api/admin/plugins/leaky/config', '/api/admin/openapi.json', '/api/admin/chats', '/api/admin/stats', '/api/admin/web/rooms', '/api/admin/web/rooms/alerts/messages']) {
      assert.equal((await record(path)).status, 200, path)
    }
    for (const d of (await record('/api/admin/deliveries')).json().deliveries) {
      await record(`/api/admin/deliveries/${d.id}`)
      await record(`/api/admin/deliveries/${d.id}/replay`, { method: 'POST' })
    }
    for (const m of (await record('/api/admin/outbox')).json().messages) await record(`/api/admin/outbox/${m.id}`)
    await record('/api/admin/plugins/leaky/reload', { method: 'POST' })
    await record('/api/admin/plugins/leaky/config', { method: 'PUT', json: { config: { token: 42 } } })
    await record('/api/admin/plugins/demo/config', { method: 'PUT', json: { config: { retries: 'x', webhookSecret: { secret: true, set: true } } } })
    await record('/api/admin/plugins/demo/config', { method: 'PUT', json: { config: { retries: 4 } } })
    await record('/api/admin/plugins/demo/reload', { method: 'POST' })
    answers.push((await t.request('/')).text)

    const leakyInfo = (await t.admin('/api/admin/plugins/leaky')).json()
    assert.equal(leakyInfo.state, 'failed')
    assert.match(leakyInfo.error, /could not log in with \[redacted\]/)
    const all = answers.join('\n')
    assert.ok(all.length > 5000)
    for (const value of [...Object.values(SECRETS), LEAKY_SECRET, t.adminToken]) {
      assert.ok(!all.includes(value), `a secret (${value.slice(0, 6)}…) appeared in an admin answer`)
    }
  } finally {
    await t.close()
  }
})

test('the UI is served with security headers, and only from its own folder', async () => {
  const t = await createTestHost()
  try {
    const page = await t.request('/')
    assert.equal(page.status, 200)
    assert.match(page.headers.get('content-type')!, /text\/html/)
    const csp = page.headers.get('content-security-policy')!
    assert.match(csp, /frame-ancestors 'none'/)
    assert.match(csp, /script-src 'self'/)
    assert.doesNotMatch(csp, /unsafe-inline/)
    assert.equal(page.headers.get('x-content-type-options'), 'nosniff')
    assert.equal(page.headers.get('referrer-policy'), 'no-referrer')
    assert.doesNotMatch(page.text, /<script>(?!<\/script>)/, 'no inline scripts')
    for (const src of page.text.matchAll(/(?:src|href)="(\/[^"]+)"/g)) assert.equal((await t.request(src[1])).status, 200, src[1])
    const api = await t.admin('/api/admin/plugins')
    assert.equal(api.headers.get('x-content-type-options'), 'nosniff')
    assert.equal(api.headers.get('cache-control'), 'no-store')

    for (const path of ['/../package.json', '/%2e%2e/package.json', '/%2e%2e%2fpackage.json', '/..%5cpackage.json', '/js/../../static.ts', '/%00', '/%E0%A4%A', '/static.ts', '/.hidden', '//etc/passwd']) {
      const res = await rawGet(t.host.port, path)
      assert.ok(res.status === 400 || res.status === 404, `${path} → ${res.status}`)
      assert.ok(!res.body.includes('"name": "hookcat"') && !res.body.includes('import '), path)
    }
    assert.equal((await t.request('/', { method: 'POST' })).status, 405)
    const etag = page.headers.get('etag')!
    assert.equal((await t.request('/', { headers: { 'if-none-match': etag } })).status, 304)
  } finally {
    await t.close()
  }
})

/** fetch() normalises dot segments away; a raw request sends the path exactly as written. */
function rawGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`))
    let data = ''
    socket.setTimeout(5000, () => socket.destroy(new Error('timeout')))
    socket.on('data', (chunk) => (data += chunk))
    socket.on('end', () => resolve({ status: Number(data.split(' ')[1]), body: data }))
    socket.on('error', reject)
  })
}
