// Dev mode reloads: only the changed plugin, without dropping a request in flight, and without duplicate routes, listeners or timers.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createTestHost } from '../testing/index.js'
import { watchPlugins, type ReloadReport } from './watch.js'

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

interface Probe {
  started?: () => void
  gate?: Promise<void>
  live: number
  otherSetups: number
}
const probe = ((globalThis as Record<string, unknown>).__hookcatDevProbe = { live: 0, otherSetups: 0 }) as Probe

const slow = (extra = '') => `import { definePlugin } from 'hookcat'
import { label } from './label.js'
const probe = (globalThis as any).__hookcatDevProbe
export default definePlugin({
  name: 'slow',
  version: '1.0.0',
  setup(plugin) {
    ${extra}
    probe.live++
    plugin.effect(() => { probe.live-- })
    plugin.on('tick', () => undefined)
    plugin.setInterval(() => undefined, 60_001)
    plugin.mountWebhook('/work', async () => {
      probe.started?.()
      await probe.gate
      return { version: label }
    }, { public: true, methods: ['GET'] })
  },
})
`
const other = `import { definePlugin } from 'hookcat'
const probe = (globalThis as any).__hookcatDevProbe
export default definePlugin({
  name: 'other',
  version: '1.0.0',
  setup(plugin) {
    probe.otherSetups++
    let hits = 0
    plugin.mountWebhook('/hits', () => ({ hits: ++hits }), { public: true, methods: ['GET'] })
  },
})
`

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (check()) return
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error(`timed out waiting for ${what}`)
}

/** The plugin's own interval (60 001 ms, a delay nothing else uses) while it is set and not cleared. */
const liveIntervals = new Set<unknown>()
const realSetInterval = globalThis.setInterval
const realClearInterval = globalThis.clearInterval
function trackIntervals(): () => void {
  globalThis.setInterval = ((fn: () => void, ms?: number) => {
    const handle = realSetInterval(fn, ms)
    if (ms === 60_001) liveIntervals.add(handle)
    return handle
  }) as typeof setInterval
  globalThis.clearInterval = ((handle?: NodeJS.Timeout) => {
    liveIntervals.delete(handle)
    realClearInterval(handle)
  }) as typeof clearInterval
  return () => {
    globalThis.setInterval = realSetInterval
    globalThis.clearInterval = realClearInterval
  }
}

test('dev mode reloads one plugin beside a request in flight, keeps the others, and reports broken versions', async () => {
  const root = mkdtempSync(join(tmpdir(), 'hookcat-dev-'))
  const plugins = join(root, 'plugins')
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'bot', private: true, type: 'module' }))
  mkdirSync(join(root, 'node_modules'), { recursive: true })
  symlinkSync(repo, join(root, 'node_modules', 'hookcat'), 'dir')
  mkdirSync(join(plugins, 'slow'), { recursive: true })
  writeFileSync(join(plugins, 'slow', 'index.ts'), slow())
  writeFileSync(join(plugins, 'slow', 'label.ts'), `export const label = 'v1'\n`)
  writeFileSync(join(plugins, 'other.ts'), other)

  const untrack = trackIntervals()
  const t = await createTestHost({ dir: root, config: { pluginsDir: plugins } })
  const reports: ReloadReport[] = []
  const watcher = watchPlugins(t.host.registry, { pluginsDir: plugins, debounceMs: 50, onReport: (r) => reports.push(r) })
  try {
    assert.deepEqual(t.host.registry.list().map((p) => [p.name, p.state]).sort(), [['other', 'loaded'], ['slow', 'loaded']])
    assert.equal((await t.webhook('other', '/hits', { method: 'GET' })).json().hits, 1)
    const routesOf = (name: string) => t.host.registry.get(name).routes.routes().length
    const busBefore = t.host.registry.bus.size

    // A request is inside the v1 handler, held there by the gate.
    let release!: () => void
    probe.gate = new Promise<void>((r) => (release = r))
    const started = new Promise<void>((r) => (probe.started = r))
    const inFlight = t.webhook('slow', '/work', { method: 'GET' })
    await started

    // Only a helper module changes: the plugin is reloaded with it, while the request is still running.
    writeFileSync(join(plugins, 'slow', 'label.ts'), `export const label = 'v2'\n`)
    await until(() => reports.length >= 1, 'the reload')
    await watcher.idle()
    assert.deepEqual(reports[0], { ok: true, plugin: 'slow', action: 'reloaded', file: join(plugins, 'slow', 'index.ts') })
    assert.equal(liveIntervals.size, 1)

    release()
    const first = await inFlight
    assert.equal(first.status, 200, first.text)
    assert.deepEqual(first.json(), { version: 'v1' })
    assert.deepEqual((await t.webhook('slow', '/work', { method: 'GET' })).json(), { version: 'v2' })

    // Saved twice more: still one route, one subscription, one live setup, no extra timers.
    for (const n of [3, 4]) {
      writeFileSync(join(plugins, 'slow', 'label.ts'), `export const label = 'v${n}'\n`)
      await until(() => reports.length >= n - 1, `reload ${n}`)
      await watcher.idle()
    }
    assert.deepEqual((await t.webhook('slow', '/work', { method: 'GET' })).json(), { version: 'v4' })
    assert.equal(routesOf('slow'), 1)
    assert.equal(t.host.registry.bus.size, busBefore)
    assert.equal(probe.live, 1)
    assert.equal(liveIntervals.size, 1)

    // A syntax error and a failing setup are reported; v4 keeps serving.
    writeFileSync(join(plugins, 'slow', 'index.ts'), `${slow()}\nexport const broken = {{\n`)
    await until(() => reports.length >= 4, 'the syntax error report')
    await watcher.idle()
    assert.equal(reports[3].ok, false)
    writeFileSync(join(plugins, 'slow', 'index.ts'), slow(`throw new Error('setup exploded')`))
    await until(() => reports.length >= 5, 'the setup failure report')
    await watcher.idle()
    assert.deepEqual({ ...reports[4], error: undefined }, { ok: false, plugin: 'slow', file: join(plugins, 'slow', 'index.ts'), error: undefined })
    assert.match((reports[4] as { error: string }).error, /setup exploded/)
    assert.deepEqual((await t.webhook('slow', '/work', { method: 'GET' })).json(), { version: 'v4' })
    assert.equal(routesOf('slow'), 1)
    assert.equal(probe.live, 1)
    assert.equal(liveIntervals.size, 1)

    // The other plugin was never set up again and kept its in-memory state.
    assert.equal(probe.otherSetups, 1)
    assert.equal((await t.webhook('other', '/hits', { method: 'GET' })).json().hits, 2)
  } finally {
    await watcher.close()
    await t.close()
    untrack()
    rmSync(root, { recursive: true, force: true })
  }
})
