// A tiny snapshot helper for tests: compares values with a committed .snap.json file; HOOKCAT_UPDATE_SNAPSHOTS=1 rewrites it.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { isDeepStrictEqual } from 'node:util'

export class Snapshots {
  private readonly stored: Record<string, unknown>
  private readonly seen: Record<string, unknown> = {}
  readonly updating = process.env.HOOKCAT_UPDATE_SNAPSHOTS === '1'

  constructor(private readonly file: string) {
    this.stored = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {}
  }

  /** Undefined when the value matches its snapshot (or snapshots are being updated); otherwise what differs. */
  check(key: string, value: unknown): string | undefined {
    this.seen[key] = value
    if (this.updating) return undefined
    if (!(key in this.stored)) return `no snapshot "${key}" in ${this.file}; run with HOOKCAT_UPDATE_SNAPSHOTS=1 and review the diff`
    if (!isDeepStrictEqual(this.stored[key], value)) {
      return `snapshot "${key}" differs:\n--- stored\n${JSON.stringify(this.stored[key], null, 2)}\n+++ now\n${JSON.stringify(value, null, 2)}`
    }
    return undefined
  }

  /** Keys stored but not checked in this run (events removed or renamed). */
  stale(): string[] {
    return Object.keys(this.stored).filter((k) => !(k in this.seen))
  }

  /** In update mode, writes every checked value, sorted by key, so that diffs stay readable. */
  save(): void {
    if (!this.updating) return
    mkdirSync(dirname(this.file), { recursive: true })
    const sorted = Object.fromEntries(Object.keys(this.seen).sort().map((k) => [k, this.seen[k]]))
    writeFileSync(this.file, `${JSON.stringify(sorted, null, 2)}\n`)
  }
}
