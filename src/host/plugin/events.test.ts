// Plugin-to-plugin events: by name from any plugin or "<plugin>:<event>", errors contained, subscriptions gone on unload.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { definePlugin } from '../../index.js'
import { createTestHost } from '../../testing/index.js'

test('a plugin event reaches subscribers by name and by "<plugin>:<event>", and a failing one is only logged', async () => {
  const seen: Array<{ who: string; data: unknown; from: string }> = []
  const publisher = definePlugin({
    name: 'publisher',
    version: '1.0.0',
    setup(plugin) {
      plugin.mountWebhook('/release', async (req) => ({ handlers: await plugin.emit('release.published', await req.json()) }), { public: true })
    },
  })
  const listener = definePlugin({
    name: 'listener',
    version: '1.0.0',
    setup(plugin) {
      plugin.on('release.published', (data, meta) => void seen.push({ who: 'any', data, from: meta.plugin }))
      plugin.on('publisher:release.published', async (data, meta) => {
        // What a subscriber sends is its own message, stored apart from the emitter's delivery.
        await plugin.send('test-releases', `released ${(data as { tag: string }).tag}`)
        seen.push({ who: 'scoped', data, from: meta.plugin })
      })
      plugin.on('other:release.published', () => void seen.push({ who: 'wrong-plugin', data: null, from: '' }))
      plugin.on('release.published', () => {
        throw new Error('subscriber bug')
      })
    },
  })
  const t = await createTestHost({ plugins: [publisher, listener] })
  try {
    const r = await t.webhook('publisher', '/release', { body: { tag: 'v1.2.0' } })
    assert.equal(r.status, 200, r.text)
    assert.deepEqual(r.json(), { handlers: 3 })
    assert.deepEqual(seen.map((s) => s.who).sort(), ['any', 'scoped'])
    assert.ok(seen.every((s) => s.from === 'publisher' && (s.data as { tag: string }).tag === 'v1.2.0'))
    assert.equal((await t.sent.next()).message.text, 'released v1.2.0')
    assert.ok(t.logs.some((l) => l.msg === 'plugin event handler failed' && l.plugin === 'listener'))
  } finally {
    await t.close()
  }
})

test('subscriptions end when the subscriber is disabled or reloaded, without duplicates', async () => {
  let calls = 0
  const listener = definePlugin({
    name: 'listener',
    version: '1.0.0',
    setup(plugin) {
      plugin.on('ping', () => void calls++)
    },
  })
  const emitter = definePlugin({ name: 'emitter', version: '1.0.0', setup() {} })
  const t = await createTestHost({ plugins: [listener, emitter] })
  try {
    const bus = t.host.registry.bus
    assert.equal(bus.size, 1)
    await t.host.registry.reload('listener')
    assert.equal(bus.size, 1)
    assert.equal(await bus.emit('emitter', 'ping', null), 1)
    assert.equal(calls, 1)
    await t.host.registry.disable('listener')
    assert.equal(bus.size, 0)
    assert.equal(await bus.emit('emitter', 'ping', null), 0)
    assert.equal(calls, 1)
    assert.throws(() => bus.subscribe('x', 'bad name!', () => undefined), /event name/)
  } finally {
    await t.close()
  }
})
