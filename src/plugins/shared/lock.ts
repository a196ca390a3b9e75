// Check-then-set on plugin.store that holds across processes: a compare-and-set, retried, behind one lock per key per process.
import type { PluginStore } from '../../index.js'

const locks = new Map<string, Promise<unknown>>()

export async function serialized<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const previous = locks.get(key) ?? Promise.resolve()
  const run = previous.catch(() => undefined).then(fn)
  locks.set(key, run)
  try {
    return await run
  } finally {
    if (locks.get(key) === run) locks.delete(key)
  }
}

const CAS_TRIES = 50

/**
 * Reads a stored value, lets `decide` answer from it, and writes the value it returns (if any) only if no other writer
 * changed the key meanwhile, in this process or another; otherwise decides again on what is stored now.
 */
export async function updateStored<T, R>(
  store: PluginStore,
  key: string,
  decide: (current: T | undefined) => { result: R; value?: T },
): Promise<R> {
  return serialized(key, async () => {
    for (let i = 0; i < CAS_TRIES; i++) {
      const current = await store.get<T>(key)
      const { result, value } = decide(current)
      if (value === undefined || (await store.compareAndSet(key, current, value))) return result
    }
    throw new Error(`plugin.store key "${key.slice(0, 100)}" changed ${CAS_TRIES} times while being updated`)
  })
}
