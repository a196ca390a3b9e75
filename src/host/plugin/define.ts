// definePlugin: checks a plugin definition once, when it is written, and brands it for the loader.
import { PLUGIN_BRAND, type DefinedPlugin, type PluginDefinition } from './types.js'
import type { z } from 'zod'

export const PLUGIN_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/

export function definePlugin<Schema extends z.ZodType = z.ZodObject<{}>>(definition: PluginDefinition<Schema>): DefinedPlugin<Schema> {
  if (!definition || typeof definition !== 'object') throw new TypeError('definePlugin() takes an object')
  if (typeof definition.name !== 'string' || !PLUGIN_NAME.test(definition.name)) {
    throw new TypeError(`plugin name "${String(definition.name)}" must be 1-64 lower-case letters, digits, - or _, starting with a letter or digit`)
  }
  if (typeof definition.version !== 'string' || definition.version.length === 0) throw new TypeError(`plugin "${definition.name}" needs a version`)
  if (typeof definition.setup !== 'function') throw new TypeError(`plugin "${definition.name}" needs a setup(plugin) function`)
  return Object.freeze({ ...definition, [PLUGIN_BRAND]: true as const })
}

export function isDefinedPlugin(value: unknown): value is DefinedPlugin {
  return !!value && typeof value === 'object' && (value as Record<symbol, unknown>)[PLUGIN_BRAND] === true
}
