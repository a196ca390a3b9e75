// The adapter types hookcat ships with, by type name.
import type { AdapterFactory } from '../host/outbox/adapter.js'
import { consoleAdapter } from './console/index.js'
import { webAdapter } from './web/index.js'

export const builtinAdapters: AdapterFactory[] = [consoleAdapter, webAdapter] as AdapterFactory[]
