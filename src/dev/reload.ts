// Dev mode's fresh import of a plugin: the entry and its own files are read again; hookcat and packages stay shared.
import { createRequire, register } from 'node:module'
import { pathToFileURL } from 'node:url'
import { ensureTypeScript, pluginFromModule } from '../host/plugin/loader.js'
import type { DefinedPlugin } from '../host/plugin/types.js'

let registeredRoot: string | undefined
let registeredDir: string | undefined
let generation = 0

/** Installs the loader hook once for a plugins folder (only one folder per process: dev mode serves one). */
export function installReloadHooks(pluginsDir: string): void {
  const root = pathToFileURL(pluginsDir.endsWith('/') ? pluginsDir : `${pluginsDir}/`).href
  if (registeredRoot === root) return
  if (registeredRoot !== undefined) throw new Error(`reload hooks are already installed for ${registeredRoot}`)
  registeredRoot = root
  registeredDir = pluginsDir
  register(new URL('./reload-hooks.js', import.meta.url), { data: { root } })
}

/** Imports a plugin file as a new generation; a syntax error or a bad export throws with the reason. */
export async function importFresh(file: string): Promise<DefinedPlugin> {
  const url = `${pathToFileURL(file).href}?hookcat-reload=${++generation}`
  // In a project without "type": "module", TypeScript plugins load as CommonJS: their files leave require's cache.
  const cache = createRequire(import.meta.url).cache
  if (registeredDir) for (const key of Object.keys(cache)) if (key.startsWith(registeredDir)) delete cache[key]
  await ensureTypeScript(file)
  const mod = (await import(url)) as Record<string, unknown>
  return pluginFromModule(mod, file)
}
