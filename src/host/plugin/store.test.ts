// plugin.store against the real SQLite store: get/set/delete/list by prefix, chat and user scopes, JSON values, restarts.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTestHost } from '../../testing/index.js'
import { definePlugin, type Plugin } from '../../index.js'

function capturing(name: string) {
  const ref: { plugin?: Plugin } = {}
  const definition = definePlugin({
    name,
    version: '1.0.0',
    setup(p) {
      ref.plugin = p as unknown as Plugin
      // The store is also reachable from a webhook, as a plugin author uses it.
      p.mountWebhook('/count', async (req) => {
        const chatKey = req.query.chat
        const next = ((await p.store.get<number>('count', chatKey ? { chatKey } : undefined)) ?? 0) + 1
        await p.store.set('count', next, chatKey ? { chatKey } : undefined)
        return { count: next }
      }, { public: true })
    },
  })
  return { definition, store: () => ref.plugin!.store }
}

test('the store keeps JSON values per plugin and scope, lists by literal prefix, deletes, and survives a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookcat-store-'))
  const a = capturing('sa')
  const b = capturing('sb')
  const values: Record<string, unknown> = { obj: { nested: { list: [1, 'two', null, true] } }, num: 42.5, str: '你好 "quoted"', nul: null, bool: false, arr: [] }
  try {
    const t = await createTestHost({ dir, plugins: [a.definition, b.definition] })
    try {
      const store = a.store()
      assert.equal(await store.get('missing'), undefined)
      for (const [key, value] of Object.entries(values)) await store.set(`v:${key}`, value)
      for (const [key, value] of Object.entries(values)) assert.deepEqual(await store.get(`v:${key}`), value, key)
      await store.set('v:date', new Date(0))
      assert.equal(await store.get('v:date'), '1970-01-01T00:00:00.000Z', 'values are stored as JSON')
      await assert.rejects(store.set('v:undef', undefined), TypeError)
      await assert.rejects(store.set('', 1), TypeError)

      // Prefixes are literal: % and _ are not wildcards.
      for (const key of ['a%1', 'a%x', 'a_2', 'ab3', 'a', 'b%1', 'a\uffff', 'a😀', '😀z']) await store.set(key, key)
      assert.deepEqual((await store.list('a%')).map((e) => e.key), ['a%1', 'a%x'])
      assert.deepEqual((await store.list('a_')).map((e) => e.key), ['a_2'])
      // Keys with characters beyond the Basic Multilingual Plane (emoji) match their prefix too.
      assert.deepEqual((await store.list('a')).map((e) => e.key), ['a', 'a%1', 'a%x', 'a_2', 'ab3', 'a\uffff', 'a😀'])
      assert.deepEqual((await store.list('😀')).map((e) => e.key), ['😀z'])
      assert.deepEqual(await store.list('a_'), [{ key: 'a_2', value: 'a_2' }])

      // Scopes are isolated from each other and from the plugin-wide scope.
      const scopes = [undefined, { chatKey: 'test-1' }, { chatKey: 'test-1', userKey: 'u1' }, { userKey: 'u1' }, { chatKey: 'test-2' }]
      for (const [i, scope] of scopes.entries()) await store.set('k', i, scope)
      for (const [i, scope] of scopes.entries()) assert.equal(await store.get('k', scope), i, JSON.stringify(scope))
      assert.deepEqual(await store.list('k', { chatKey: 'test-1' }), [{ key: 'k', value: 1 }])
      assert.equal(await store.delete('k', { chatKey: 'test-1' }), true)
      assert.equal(await store.delete('k', { chatKey: 'test-1' }), false)
      assert.equal(await store.get('k', { chatKey: 'test-1' }), undefined)
      assert.equal(await store.get('k', { chatKey: 'test-1', userKey: 'u1' }), 2)
      assert.equal(await store.get('k'), 0)

      // Another plugin sees none of it.
      assert.equal(await b.store().get('k'), undefined)
      assert.deepEqual(await b.store().list(''), [])

      // Through a webhook.
      assert.deepEqual((await t.webhook('sa', '/count', { method: 'POST' })).json(), { count: 1 })
      assert.deepEqual((await t.webhook('sa', '/count', { method: 'POST' })).json(), { count: 2 })
      assert.deepEqual((await t.webhook('sa', '/count', { method: 'POST', query: { chat: 'test-9' } })).json(), { count: 1 })
    } finally {
      await t.close()
    }

    const again = await createTestHost({ dir, plugins: [a.definition, b.definition] })
    try {
      const store = a.store()
      assert.deepEqual(await store.get('v:obj'), values.obj)
      assert.equal(await store.get('k', { chatKey: 'test-1', userKey: 'u1' }), 2)
      assert.equal(await store.get('k', { chatKey: 'test-1' }), undefined, 'a delete is durable too')
      assert.deepEqual((await again.webhook('sa', '/count', { method: 'POST' })).json(), { count: 3 })
    } finally {
      await again.close()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
