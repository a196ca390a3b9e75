// Upload quotas: bytes per chat folder and in all, counted from what is on disk at start-up and kept as files come and go.
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { HookcatError } from '../../index.js'

export interface QuotaLimits {
  /** Bytes one chat's folder may hold. */
  perChat: number
  /** Bytes all uploads together may hold. */
  total: number
}

/** Sizes of the files in each folder of uploads/ (links and other non-files are not counted: the store never writes them). */
async function measure(root: string): Promise<Map<string, number>> {
  const used = new Map<string, number>()
  let folders
  try {
    folders = await readdir(root, { withFileTypes: true })
  } catch {
    return used
  }
  for (const folder of folders) {
    if (!folder.isDirectory()) continue
    let bytes = 0
    for (const file of await readdir(join(root, folder.name), { withFileTypes: true }).catch(() => [])) {
      if (file.isFile()) bytes += (await stat(join(root, folder.name, file.name)).catch(() => ({ size: 0 }))).size
    }
    used.set(folder.name, bytes)
  }
  return used
}

export class UploadQuota {
  private used = new Map<string, number>()
  private total = 0
  private loaded?: Promise<void>

  constructor(
    private readonly root: string,
    private readonly limits: QuotaLimits,
  ) {}

  /** Reads what is on disk once (so that a restart starts from the real usage, not from zero). */
  private load(): Promise<void> {
    this.loaded ??= measure(this.root).then((used) => {
      this.used = used
      this.total = [...used.values()].reduce((a, b) => a + b, 0)
    })
    return this.loaded
  }

  /**
   * Reserves room for a file before it is written, so that concurrent uploads cannot overshoot together; 507 when
   * the chat's or the total quota would be exceeded. The returned function gives the room back (write failed, file removed).
   */
  async reserve(folder: string, bytes: number): Promise<() => void> {
    await this.load()
    const chat = this.used.get(folder) ?? 0
    if (chat + bytes > this.limits.perChat) {
      throw new HookcatError('INSUFFICIENT_STORAGE', `This chat's uploads would exceed their quota of ${this.limits.perChat} bytes (${chat} used); delete files or raise maxChatBytes`, {
        details: { quota: 'maxChatBytes', limit: this.limits.perChat, used: chat },
      })
    }
    if (this.total + bytes > this.limits.total) {
      throw new HookcatError('INSUFFICIENT_STORAGE', `Uploads would exceed their total quota of ${this.limits.total} bytes (${this.total} used); delete files or raise maxTotalBytes`, {
        details: { quota: 'maxTotalBytes', limit: this.limits.total, used: this.total },
      })
    }
    this.used.set(folder, chat + bytes)
    this.total += bytes
    let given = false
    return () => {
      if (given) return
      given = true
      this.used.set(folder, Math.max(0, (this.used.get(folder) ?? 0) - bytes))
      this.total = Math.max(0, this.total - bytes)
    }
  }
}
