// Finds plugins: every .ts/.js file or folder in plugins/, and npm packages named in the config.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { extname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { definePlugin, isDefinedPlugin } from './define.js'
import type { DefinedPlugin } from './types.js'

export type Discovered = { source: string; definition: DefinedPlugin } | { source: string; error: string }

const PLUGIN_FILE = /\.(ts|mts|js|mjs)$/
const SKIP_FILE = /\.(test|spec|d)\.(ts|mts|js|mjs)$/
const TYPESCRIPT_FILE = /\.(ts|mts|cts)$/
// Running from source (tests, `npm run dev`), the host's own modules are .ts: a TypeScript loader is active already.
let typescriptReady = import.meta.url.endsWith('.ts')

/**
 * Makes .ts files importable before the first one is imported. It must come first: Node caches a failed import()
 * ("Unknown file extension .ts"), so registering tsx after a failure and trying again fails the same way.
 */
export async function ensureTypeScript(file: string): Promise<void> {
  if (typescriptReady || !TYPESCRIPT_FILE.test(file)) return
  // Both hooks, as `node --import tsx` installs them: a .ts file outside a "type": "module" package is CommonJS.
  const esm = (await import('tsx/esm/api')) as { register: () => unknown }
  const cjs = (await import('tsx/cjs/api')) as { register: () => unknown }
  esm.register()
  cjs.register()
  typescriptReady = true
}

/** Imports a module; .ts files load through tsx without a build step. `fresh` bypasses the module cache (reload). */
export async function importModule(file: string, fresh = false): Promise<Record<string, unknown>> {
  const url = pathToFileURL(file).href
  if (fresh) {
    // A ?query does not bust the module cache once tsx's resolver is active (it drops queries); tsImport loads the
    // file in a namespace of its own each time, so a reload really runs the edited code (.ts and .js alike).
    const api = (await import('tsx/esm/api')) as { tsImport: (specifier: string, parentURL: string) => Promise<Record<string, unknown>> }
    return api.tsImport(url, import.meta.url)
  }
  await ensureTypeScript(file)
  return (await import(url)) as Record<string, unknown>
}

/** The plugin a module exports as default (or as `plugin`); plain definitions are checked with definePlugin. */
export function pluginFromModule(mod: Record<string, unknown>, source: string): DefinedPlugin {
  let candidate = (mod.default ?? mod.plugin) as unknown
  // A file compiled as CommonJS (a .ts outside a "type": "module" package) arrives as { default: { default: plugin } }.
  if (candidate && typeof candidate === 'object' && !('setup' in candidate) && 'default' in candidate) candidate = (candidate as { default: unknown }).default
  if (isDefinedPlugin(candidate)) return candidate
  if (candidate && typeof candidate === 'object' && 'setup' in candidate) return definePlugin(candidate as Parameters<typeof definePlugin>[0])
  throw new Error(`${source} does not export a plugin (export default definePlugin({ … }))`)
}

function entryOfFolder(dir: string): string | undefined {
  const pkgFile = join(dir, 'package.json')
  if (existsSync(pkgFile)) {
    try {
      const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { main?: string; exports?: unknown }
      const main = typeof pkg.exports === 'string' ? pkg.exports : pkg.main
      if (main && existsSync(join(dir, main))) return join(dir, main)
    } catch {
      // fall through to index files
    }
  }
  for (const name of ['index.ts', 'index.mts', 'index.js', 'index.mjs']) if (existsSync(join(dir, name))) return join(dir, name)
  return undefined
}

/** The files in a plugins folder that hold plugins, in name order. */
export function pluginFiles(dir: string): string[] {
  if (!existsSync(dir)) return []
  const out: string[] = []
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.') || name.startsWith('_') || name === 'node_modules') continue
    const full = join(dir, name)
    const stats = statSync(full)
    if (stats.isDirectory()) {
      const entry = entryOfFolder(full)
      if (entry) out.push(entry)
    } else if (PLUGIN_FILE.test(name) && !SKIP_FILE.test(name)) out.push(full)
  }
  return out
}

export async function loadPluginFile(file: string, fresh = false): Promise<Discovered> {
  try {
    return { source: file, definition: pluginFromModule(await importModule(file, fresh), file) }
  } catch (error) {
    return { source: file, error: (error as Error).message }
  }
}

export async function discoverFolder(dir: string): Promise<Discovered[]> {
  const results: Discovered[] = []
  for (const file of pluginFiles(resolve(dir))) results.push(await loadPluginFile(file))
  return results
}

/** npm packages, resolved from the working directory like the user's own code would. */
export async function discoverPackages(names: string[], cwd = process.cwd()): Promise<Discovered[]> {
  const require = createRequire(join(cwd, 'package.json'))
  const results: Discovered[] = []
  for (const name of names) {
    try {
      const file = require.resolve(name)
      results.push({ source: `npm:${name}`, definition: pluginFromModule(await importModule(file), name) })
    } catch (error) {
      results.push({ source: `npm:${name}`, error: (error as Error).message })
    }
  }
  return results
}

export function isFileSource(source: string): boolean {
  return PLUGIN_FILE.test(extname(source)) || PLUGIN_FILE.test(source)
}

/** The plugins of the plugins folder, then those of npm packages, each loaded or with why it could not be. */
export async function discoverPlugins(pluginsDir: string, packages: string[], cwd: string): Promise<Discovered[]> {
  return [...(await discoverFolder(pluginsDir)), ...(await discoverPackages(packages, cwd))]
}
