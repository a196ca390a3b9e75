// Dev mode's watcher: a change under plugins/ reloads only the plugin it belongs to, debounced, one reload at a time.
import { watch, mkdirSync, type FSWatcher } from 'node:fs'
import { isAbsolute, join, relative, resolve, sep } from 'node:path'
import { pluginFiles } from '../host/plugin/loader.js'
import type { PluginRegistry } from '../host/plugin/registry.js'
import { importFresh, installReloadHooks } from './reload.js'

export type ReloadReport =
  | { ok: true; plugin: string; action: 'reloaded' | 'added' | 'removed'; file: string }
  | { ok: false; plugin?: string; file: string; error: string }

export interface DevWatchOptions {
  pluginsDir: string
  /** Quiet time after the last change before reloading (editors write a file in several steps). Default 150 ms. */
  debounceMs?: number
  /** Told of every reload and of every failure (the previous version keeps serving then). */
  onReport?: (report: ReloadReport) => void
}

export interface DevWatcher {
  /** Resolves when no reload is waiting or running (tests wait on it instead of sleeping). */
  idle(): Promise<void>
  close(): Promise<void>
}

const IGNORED = /(^|[/\\])(\.|_|node_modules([/\\]|$))|\.(test|spec|d)\.(ts|mts|js|mjs)$/

export function watchPlugins(registry: PluginRegistry, options: DevWatchOptions): DevWatcher {
  const dir = resolve(options.pluginsDir)
  const debounceMs = options.debounceMs ?? 150
  const report = options.onReport ?? (() => undefined)
  mkdirSync(dir, { recursive: true })
  installReloadHooks(dir)
  const timers = new Map<string, NodeJS.Timeout>()
  let chain: Promise<void> = Promise.resolve()
  let closed = false

  /** The first path segment under plugins/: a plugin file ("a.ts") or a plugin folder ("a"). */
  const topOf = (path: string): string => relative(dir, isAbsolute(path) ? path : join(dir, path)).split(sep)[0]

  const reloadOne = async (top: string): Promise<void> => {
    const file = pluginFiles(dir).find((f) => topOf(f) === top)
    const entry = registry.list().find((p) => p.source.startsWith(dir) && topOf(p.source) === top)
    if (!file) {
      if (entry && entry.state === 'loaded') {
        await registry.disable(entry.name)
        report({ ok: true, plugin: entry.name, action: 'removed', file: entry.source })
      }
      return
    }
    let definition
    try {
      definition = await importFresh(file)
    } catch (error) {
      return report({ ok: false, plugin: entry?.name, file, error: (error as Error).message })
    }
    try {
      if (entry && entry.name !== definition.name) throw new Error(`the file now defines plugin "${definition.name}", not "${entry.name}"; restart to rename a plugin`)
      if (!entry) {
        registry.add(definition, file)
        await registry.enable(definition.name)
        return report({ ok: true, plugin: definition.name, action: 'added', file })
      }
      await registry.reload(entry.name, definition)
      if (entry.state !== 'loaded') await registry.enable(entry.name)
      report({ ok: true, plugin: entry.name, action: 'reloaded', file })
    } catch (error) {
      report({ ok: false, plugin: entry?.name ?? definition.name, file, error: (error as Error).message })
    }
  }

  const schedule = (top: string): void => {
    clearTimeout(timers.get(top))
    timers.set(
      top,
      setTimeout(() => {
        timers.delete(top)
        if (closed) return
        // One reload at a time: two plugins saved together reload one after the other.
        chain = chain.then(() => reloadOne(top)).catch((error) => report({ ok: false, file: top, error: (error as Error).message }))
      }, debounceMs),
    )
  }

  const watcher: FSWatcher = watch(dir, { recursive: true }, (_event, filename) => {
    if (!filename || closed || IGNORED.test(filename.toString())) return
    schedule(topOf(filename.toString()))
  })
  watcher.on('error', (error) => report({ ok: false, file: dir, error: error.message }))

  return {
    async idle() {
      for (let i = 0; i < 1000 && (timers.size > 0 || !(await settled(chain))); i++) await new Promise((r) => setTimeout(r, debounceMs / 2 + 1))
      await chain
    },
    async close() {
      closed = true
      watcher.close()
      for (const timer of timers.values()) clearTimeout(timer)
      timers.clear()
      await chain
    },
  }
}

/** Whether a promise has settled, without waiting for it. */
async function settled(promise: Promise<void>): Promise<boolean> {
  let done = false
  void promise.then(() => (done = true))
  await new Promise((r) => setImmediate(r))
  return done
}
