// The webhook router through a real host: paths, patterns, methods, 404/405, and plugins enabled, disabled and reloaded at runtime.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTestHost, type TestHost } from '../../testing/index.js'
import { definePlugin, type HttpMethod } from '../../index.js'

const ALL: HttpMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']

const routed = definePlugin({
  name: 'r',
  version: '1.0.0',
  setup(plugin) {
    const echo = (req: { method: string; path: string; params: Record<string, string> }) => ({ method: req.method, path: req.path, params: req.params })
    plugin.mountWebhook('/', echo, { public: true })
    plugin.mountWebhook('/a/b/c', echo, { public: true })
    plugin.mountWebhook('/items/:id', echo, { public: true, methods: ['GET', 'PUT', 'DELETE'] })
    plugin.mountWebhook('/repos/:owner/:repo/hooks', echo, { public: true })
    plugin.mountWebhook('/files/*', echo, { public: true })
    plugin.mountWebhook('/all', echo, { public: true, methods: ALL })
  },
})

const versioned = (version: number, path = '/v') =>
  definePlugin({
    name: 'swap',
    version: `${version}.0.0`,
    setup(plugin) {
      plugin.mountWebhook(path, () => ({ version }), { public: true })
    },
  })

const exploding = definePlugin({
  name: 'boom',
  version: '1.0.0',
  setup() {
    throw new Error('setup exploded on purpose')
  },
})

const dupFirst = definePlugin({ name: 'dup', version: '1.0.0', setup: (p) => p.mountWebhook('/who', () => ({ who: 'first' }), { public: true }) })
const dupSecond = definePlugin({ name: 'dup', version: '2.0.0', setup: (p) => p.mountWebhook('/who', () => ({ who: 'second' }), { public: true }) })

let t: TestHost

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookcat-router-'))
  // A plugin file in plugins/, loaded without a build step, and reloaded from the file at runtime.
  mkdirSync(join(dir, 'plugins'), { recursive: true })
  writeFileSync(join(dir, 'plugins', 'filed.ts'), pluginSource('one'))
  t = await createTestHost({ dir, plugins: [routed, versioned(1), exploding, dupFirst, dupSecond] })
})
after(async () => {
  await t.close()
  rmSync(t.dir, { recursive: true, force: true })
})

function pluginSource(answer: string): string {
  return `const answer: string = ${JSON.stringify(answer)}
export default { name: 'filed', version: '1.0.0', setup(plugin: any) { plugin.mountWebhook('/answer', () => ({ answer }), { public: true }) } }
`
}

test('static paths match with several segments and a trailing slash; the root path is the bare /webhook URL', async () => {
  const r = await t.webhook('r', '/a/b/c')
  assert.equal(r.status, 200, r.text)
  assert.deepEqual(r.json(), { method: 'POST', path: '/a/b/c', params: {} })
  assert.equal((await t.webhook('r', '/a/b/c/')).status, 200)
  const root = await t.request('/api/plugin/r/webhook', { method: 'POST' })
  assert.equal(root.status, 200, root.text)
  assert.equal(root.json().path, '/')
  for (const miss of ['/a/b', '/a/b/c/d', '/A/B/C', '/a//b/c']) {
    const r = await t.webhook('r', miss)
    assert.equal(r.status, 404, `${miss}: ${r.text}`)
    assert.equal(r.json().error.code, 'WEBHOOK_NOT_FOUND')
  }
})

test(':param segments are captured (decoded) and must be present; trailing * captures the rest', async () => {
  const one = await t.webhook('r', '/items/42', { method: 'GET' })
  assert.deepEqual(one.json().params, { id: '42' })
  assert.deepEqual((await t.webhook('r', '/items/a%20b', { method: 'GET' })).json().params, { id: 'a b' })
  const repo = await t.webhook('r', '/repos/octo/cat/hooks')
  assert.deepEqual(repo.json().params, { owner: 'octo', repo: 'cat' })
  assert.equal((await t.webhook('r', '/items', { method: 'GET' })).status, 404)
  assert.equal((await t.webhook('r', '/items/1/2', { method: 'GET' })).status, 404)
  assert.equal((await t.webhook('r', '/repos/octo/hooks')).status, 404)
  const rest = await t.webhook('r', '/files/x/y/z.txt')
  assert.equal(rest.status, 200, rest.text)
  assert.deepEqual(rest.json().params, { '*': 'x/y/z.txt' })
})

test('a webhook may accept every HTTP method; the handler sees which one', async () => {
  for (const method of ALL) {
    const r = await t.webhook('r', '/all', { method })
    assert.equal(r.status, 200, `${method}: ${r.text}`)
    if (method === 'HEAD') assert.equal(r.text, '')
    else assert.equal(r.json().method, method)
  }
})

test('a method the webhook does not accept gets 405 with an Allow header listing exactly the accepted ones', async () => {
  const r = await t.webhook('r', '/items/1', { method: 'POST' })
  assert.equal(r.status, 405, r.text)
  assert.equal(r.json().error.code, 'METHOD_NOT_ALLOWED')
  const allow = (r.headers.get('allow') ?? '').split(',').map((m) => m.trim()).sort()
  assert.deepEqual(allow, ['DELETE', 'GET', 'HEAD', 'PUT'])
  for (const method of ['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
    const p = await t.webhook('r', '/a/b/c', { method })
    assert.equal(p.status, 405, `${method}: ${p.text}`)
    assert.equal(p.headers.get('allow'), 'POST')
  }
  // A method node parses but no webhook can accept.
  const purge = await t.webhook('r', '/a/b/c', { method: 'PURGE' })
  assert.equal(purge.status, 405, purge.text)
  assert.equal(purge.headers.get('allow'), 'POST')
})

test('unknown plugins, non-webhook URLs under a plugin and unknown paths get 404 with a JSON error', async () => {
  const cases: Array<[string, string]> = [
    ['/api/plugin/nope/webhook/a', 'PLUGIN_NOT_FOUND'],
    ['/api/plugin/r/other/a', 'NOT_FOUND'],
    ['/api/plugin/r', 'NOT_FOUND'],
    ['/api/plugin/r/webhook/zzz', 'WEBHOOK_NOT_FOUND'],
  ]
  for (const [path, code] of cases) {
    const r = await t.request(path, { method: 'POST' })
    assert.equal(r.status, 404, `${path}: ${r.text}`)
    assert.match(r.headers.get('content-type') ?? '', /application\/json/)
    assert.equal(r.json().error.code, code, path)
  }
})

test('a disabled plugin answers 404 with a body that says so; enabling it again serves at once', async () => {
  await t.host.registry.disable('r')
  const r = await t.webhook('r', '/a/b/c')
  assert.equal(r.status, 404)
  assert.equal(r.json().error.code, 'PLUGIN_DISABLED')
  assert.match(r.json().error.message, /disabled/)
  assert.equal(t.host.registry.lookup('r')?.state, 'disabled')
  await t.host.registry.enable('r')
  assert.equal((await t.webhook('r', '/a/b/c')).status, 200)
})

test('reload swaps the routes without a restart; a failing reload keeps the old version serving', async () => {
  assert.deepEqual((await t.webhook('swap', '/v')).json(), { version: 1 })
  await t.host.registry.reload('swap', versioned(2, '/v2'))
  assert.deepEqual((await t.webhook('swap', '/v2')).json(), { version: 2 })
  assert.equal((await t.webhook('swap', '/v')).status, 404, 'the old route went away with the old version')
  const broken = definePlugin({
    name: 'swap',
    version: '3.0.0',
    setup(plugin) {
      plugin.mountWebhook('/v3', () => ({ version: 3 }), { public: true })
      throw new Error('version 3 is broken')
    },
  })
  await assert.rejects(t.host.registry.reload('swap', broken), (e: { code?: string; message: string }) => e.code === 'PLUGIN_LOAD_FAILED' && /version 3 is broken/.test(e.message))
  assert.deepEqual((await t.webhook('swap', '/v2')).json(), { version: 2 }, 'the previous version keeps serving')
  assert.equal((await t.webhook('swap', '/v3')).status, 404, 'the broken version mounted nothing')
  assert.equal(t.host.registry.lookup('swap')?.state, 'loaded')
})

test('a plugin that throws in setup is reported and skipped while the others run; a duplicate name is refused', async () => {
  const boom = t.host.registry.lookup('boom')
  assert.equal(boom?.state, 'failed')
  assert.match(boom?.error ?? '', /setup exploded on purpose/)
  assert.ok(t.logs.some((l) => l.plugin === 'boom' && l.level === 50), 'the failure is logged as an error')
  const r = await t.webhook('boom', '/x')
  assert.ok(r.status >= 400 && r.status < 600 && r.status !== 500, r.text)
  assert.equal(r.json().error.code, 'PLUGIN_LOAD_FAILED')
  assert.deepEqual((await t.webhook('dup', '/who')).json(), { who: 'first' })
  assert.ok(t.host.loadProblems.some((p) => /"dup"/.test(p.error)), JSON.stringify(t.host.loadProblems))
  assert.equal((await t.webhook('r', '/a/b/c')).status, 200)
})

test('plugin names are validated when defined', () => {
  for (const name of ['Bad', 'has space', '', '-lead', 'a/b', 'x'.repeat(65)]) {
    assert.throws(() => definePlugin({ name, version: '1', setup() {} }), /plugin name/, name)
  }
})

test('a .ts plugin file in plugins/ loads without a build step and reloads from the edited file', async () => {
  assert.deepEqual((await t.webhook('filed', '/answer')).json(), { answer: 'one' })
  writeFileSync(join(t.dir, 'plugins', 'filed.ts'), pluginSource('two'))
  await t.host.registry.reload('filed')
  assert.deepEqual((await t.webhook('filed', '/answer')).json(), { answer: 'two' })
})
