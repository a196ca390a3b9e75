// One lock per key inside this process, so that check-then-set on plugin.store is not raced by a concurrent event.
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
