// hookcat/testing itself: real hosts on free ports with their own temporary stores, cleaned up on close.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTestHost } from './index.js'
import { definePlugin } from '../index.js'

const echo = definePlugin({
  name: 'kit',
  version: '1.0.0',
  setup(p) {
    p.mountWebhook('/echo', async (req) => {
      await p.send('test-kit', await req.text())
      return { body: await req.json(), type: req.headers.get('content-type'), q: req.query }
    }, { public: true })
  },
})

test('two test hosts run side by side on free ports with separate stores; close removes the temporary folder', async () => {
  const [a, b] = await Promise.all([createTestHost({ plugins: [echo] }), createTestHost({ plugins: [echo] })])
  try {
    assert.notEqual(a.url, b.url)
    assert.notEqual(a.dir, b.dir)
    assert.match(a.url, /^http:\/\/127\.0\.0\.1:\d+$/)
    assert.ok(existsSync(join(a.dir, 'hookcat.db')))
    const r = await a.webhook('kit', '/echo', { body: { x: 1 }, query: { q: '1' } })
    assert.deepEqual(r.json(), { body: { x: 1 }, type: 'application/json', q: { q: '1' } })
    assert.equal((await a.sent.next()).message.text, '{"x":1}')
    assert.equal((await a.host.storage.listDeliveries()).length, 1)
    assert.equal((await b.host.storage.listDeliveries()).length, 0, 'the other host has its own store')
    assert.equal(a.webhookUrl('kit', '/echo'), `${a.url}/api/plugin/kit/webhook/echo`)
  } finally {
    await Promise.all([a.close(), b.close()])
  }
  assert.equal(existsSync(a.dir), false)
  assert.equal(existsSync(b.dir), false)
})

test('a folder given with dir is kept on close, so a second host can start on it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookcat-kit-'))
  try {
    const t = await createTestHost({ dir, plugins: [echo] })
    await t.webhook('kit', '/echo', { body: {} })
    await t.close()
    assert.ok(existsSync(join(dir, 'hookcat.db')))
    const again = await createTestHost({ dir, plugins: [echo] })
    try {
      assert.equal((await again.host.storage.listDeliveries()).length, 1)
      assert.equal(again.adminToken, t.adminToken, 'the generated admin token is kept in the data directory')
    } finally {
      await again.close()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('sent.next() rejects when no message arrives in time', async () => {
  const t = await createTestHost({})
  try {
    await assert.rejects(t.sent.next(50), /no message arrived within 50 ms/)
  } finally {
    await t.close()
  }
})
