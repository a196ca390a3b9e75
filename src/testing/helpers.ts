// Small helpers for hookcat's own tests: bounded waits, gates, directory snapshots and an independent SQLite reader.
import { readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import Database from 'better-sqlite3'

/** Polls `check` until it returns a truthy value (returned), failing after timeoutMs with `what` in the message. */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 5000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value) return value as NonNullable<T>
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

/** A promise a test opens when it wants: handlers await `gate.wait`, the test calls `gate.open()`. */
export interface Gate {
  wait: Promise<void>
  open(): void
}

export function gate(): Gate {
  let open!: () => void
  const wait = new Promise<void>((resolve) => (open = resolve))
  return { wait, open }
}

/** Lets the event loop run `turns` times (no timers): enough for work already due to happen, without a sleep. */
export async function turns(count = 20): Promise<void> {
  for (let i = 0; i < count; i++) await new Promise<void>((r) => setImmediate(r))
}

/** Every file and folder below root (relative paths, sorted), except those under the `skip` paths. */
export function snapshotTree(root: string, skip: string[] = []): string[] {
  const out: string[] = []
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name)
      if (skip.some((s) => full === s || full.startsWith(`${s}/`) || full.startsWith(s + '-'))) continue
      out.push(relative(root, full))
      if (statSync(full).isDirectory()) walk(full)
    }
  }
  walk(root)
  return out.sort()
}

/** A second, independent read-only connection to a host's SQLite file: sees only what is committed. */
export function openReader(file: string): Database.Database {
  return new Database(file, { readonly: true, fileMustExist: true })
}
