// plugin.store: persistent JSON values per plugin, optionally scoped to a chat and a user (as Nekro's plugin.store).
import type { Storage } from '../../storage/types.js'
import type { PluginStore, StoreScope } from './types.js'

const MAX_KEY = 512
const MAX_VALUE = 1024 * 1024

function scopeKey(scope: StoreScope | undefined): string {
  if (!scope) return ''
  return `${scope.chatKey ?? ''}\u001f${scope.userKey ?? ''}`
}

function checkKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY) throw new TypeError(`store key must be a string of 1 to ${MAX_KEY} characters`)
}

function encode(value: unknown): string {
  if (value === undefined) throw new TypeError('store value must not be undefined; use delete()')
  const text = JSON.stringify(value)
  if (text.length > MAX_VALUE) throw new TypeError(`store value is larger than ${MAX_VALUE} bytes`)
  return text
}

export function createPluginStore(storage: Storage, plugin: string): PluginStore {
  return {
    async get<T>(key: string, scope?: StoreScope): Promise<T | undefined> {
      checkKey(key)
      const text = await storage.kvGet(plugin, scopeKey(scope), key)
      return text === undefined ? undefined : (JSON.parse(text) as T)
    },
    async set(key: string, value: unknown, scope?: StoreScope): Promise<void> {
      checkKey(key)
      await storage.write([{ op: 'kv.set', plugin, scope: scopeKey(scope), key, value: encode(value) }])
    },
    async compareAndSet(key: string, expected: unknown, value: unknown, scope?: StoreScope): Promise<boolean> {
      checkKey(key)
      // The stored text is JSON.stringify of what was set, and get() parses it: stringifying that value again gives it back.
      const was = expected === undefined ? null : JSON.stringify(expected)
      const [result] = await storage.write([{ op: 'kv.cas', plugin, scope: scopeKey(scope), key, expected: was, value: encode(value) }])
      return (result.changes ?? 0) > 0
    },
    async delete(key: string, scope?: StoreScope): Promise<boolean> {
      checkKey(key)
      const [result] = await storage.write([{ op: 'kv.delete', plugin, scope: scopeKey(scope), key }])
      return (result.changes ?? 0) > 0
    },
    async list<T>(prefix = '', scope?: StoreScope): Promise<Array<{ key: string; value: T }>> {
      const rows = await storage.kvList(plugin, scopeKey(scope), prefix)
      return rows.map((r) => ({ key: r.key, value: JSON.parse(r.value) as T }))
    },
  }
}
