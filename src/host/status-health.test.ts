// The built-in status plugin (status, maintenance mode held across restarts) and /healthz, /readyz, /metrics, through a real host.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTestHost, type TestHost } from '../testing/index.js'
import { turns, waitFor } from '../testing/helpers.js'
import { definePlugin, HookcatError, VERSION } from '../index.js'

const sender = definePlugin({
  name: 'notify',
  version: '1.0.0',
  setup(p) {
    p.mountWebhook('/say', async (req) => {
      await p.send('test-ops', await req.text())
      return { queued: true }
    }, { public: true })
    p.mountWebhook('/teapot', () => {
      throw new HookcatError('FORBIDDEN')
    }, { public: true })
  },
})

const texts = (t: TestHost) => t.sent.all().map((m) => m.message.text)

test('status: GET reports status, version and uptime; POST maintenance needs the admin token, holds the outbox, and survives a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookcat-status-'))
  try {
    const t = await createTestHost({ dir, builtins: true, plugins: [sender] })
    const admin = { authorization: `Bearer ${t.host.adminToken.token}` }
    try {
      const get = await t.webhook('status', '/status', { method: 'GET' })
      assert.equal(get.status, 200, get.text)
      const status = get.json()
      assert.equal(status.status, 'running')
      assert.equal(status.version, VERSION)
      assert.ok(Number.isInteger(status.uptime) && status.uptime >= 0)

      for (const headers of [{}, { authorization: 'Bearer wrong-token-wrong-token' }, { authorization: `Basic ${t.host.adminToken.token}` }] as Array<Record<string, string>>) {
        const r = await t.webhook('status', '/status', { body: { status: 'maintenance' }, headers })
        assert.equal(r.status, 401, r.text)
      }
      assert.equal((await t.webhook('status', '/status', { body: { status: 'sleeping' }, headers: admin })).status, 400)
      for (const method of ['PUT', 'DELETE', 'PATCH']) {
        const r = await t.webhook('status', '/status', { method, headers: admin })
        assert.equal(r.status, 405, `${method}: ${r.text}`)
        assert.deepEqual((r.headers.get('allow') ?? '').split(',').map((m) => m.trim()).sort(), ['GET', 'HEAD', 'POST'])
      }
      assert.equal((await t.webhook('status', '/status', { method: 'GET' })).json().status, 'running', 'refused requests changed nothing')

      const on = await t.webhook('status', '/status', { body: { status: 'maintenance' }, headers: admin })
      assert.equal(on.status, 200, on.text)
      assert.equal((await t.webhook('status', '/status', { method: 'GET' })).json().status, 'maintenance')
      assert.equal(t.host.outbox.isHeld, true)
      assert.equal((await t.webhook('notify', '/say', { body: 'during maintenance' })).status, 200)
      await turns(50)
      assert.deepEqual(texts(t), [], 'nothing is sent while maintenance is on')
      const [held] = await t.host.storage.listMessages({ chatKey: 'test-ops' })
      assert.equal(held.state, 'pending')
    } finally {
      await t.close()
    }

    const again = await createTestHost({ dir, builtins: true, plugins: [sender] })
    try {
      assert.equal((await again.webhook('status', '/status', { method: 'GET' })).json().status, 'maintenance', 'maintenance survives the restart')
      await turns(50)
      assert.deepEqual(texts(again), [], 'the held message stays held after the restart')
      const off = await again.webhook('status', '/status', { body: { status: 'running' }, headers: { authorization: `Bearer ${again.host.adminToken.token}` } })
      assert.equal(off.status, 200, off.text)
      await waitFor(() => texts(again).includes('during maintenance'), 'the held message after maintenance ends')
      assert.equal((await again.webhook('status', '/status', { method: 'GET' })).json().status, 'running')
    } finally {
      await again.close()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('/healthz and /readyz answer; /metrics counts requests and latency per plugin and status', async () => {
  const t = await createTestHost({ plugins: [sender] })
  try {
    const health = await t.request('/healthz')
    assert.equal(health.status, 200)
    assert.equal(health.json().status, 'ok')
    const ready = await t.request('/readyz')
    assert.equal(ready.status, 200)
    assert.deepEqual(ready.json(), { status: 'ready', storage: 'ok', adapters: { test: 'not checked', console: 'not checked', web: 'not checked' } })

    for (let i = 0; i < 3; i++) assert.equal((await t.webhook('notify', '/say', { body: `m${i}` })).status, 200)
    assert.equal((await t.webhook('notify', '/teapot')).status, 403)
    assert.equal((await t.webhook('notify', '/nowhere')).status, 404)
    // Unknown plugin names must not create a label each (unbounded cardinality).
    for (let i = 0; i < 5; i++) assert.equal((await t.webhook(`ghost${i}`, '/x')).status, 404)

    const metrics = await t.request('/metrics')
    assert.equal(metrics.status, 200)
    assert.match(metrics.headers.get('content-type') ?? '', /^text\/plain/)
    const sample = (name: string, labels: string) => {
      const line = metrics.text.split('\n').find((l) => l.startsWith(`${name}{`) && labels.split(',').every((p) => l.includes(p)))
      return line === undefined ? undefined : Number(line.split(' ').pop())
    }
    assert.equal(sample('hookcat_webhook_requests_total', 'plugin="notify",status="200"'), 3)
    assert.equal(sample('hookcat_webhook_requests_total', 'plugin="notify",status="403"'), 1)
    assert.equal(sample('hookcat_webhook_requests_total', 'plugin="notify",status="404"'), 1)
    assert.equal(sample('hookcat_webhook_request_duration_seconds_count', 'plugin="notify"'), 5)
    assert.ok(!/ghost/.test(metrics.text), 'no label per unknown plugin name')
    assert.match(metrics.text, /# TYPE hookcat_webhook_request_duration_seconds histogram/)

    // Storage gone: not ready, still alive.
    await t.host.storage.close()
    assert.equal((await t.request('/readyz')).status, 503)
    assert.equal((await t.request('/healthz')).status, 200)
  } finally {
    await t.close()
  }
})
