// Chooses the storage backend from the config's storage URL.
import { resolve } from 'node:path'
import { PgStorage } from './postgres/pg-storage.js'
import { SqliteStorage } from './sqlite/sqlite-storage.js'
import type { Storage } from './types.js'

export type * from './types.js'
export { StorageWriteError } from './group-commit.js'

/** "sqlite:<path>" (relative to baseDir) or a postgres:// URL. */
export function createStorage(url: string, baseDir = process.cwd()): Storage {
  if (url.startsWith('sqlite:')) return new SqliteStorage(resolve(baseDir, url.slice('sqlite:'.length)))
  if (/^postgres(ql)?:\/\//.test(url)) return new PgStorage(url)
  throw new Error(`Unknown storage URL "${url}": use sqlite:<path> or postgres://…`)
}
