// Reads an attachment given by path from the sending plugin's data directory, never from outside it.
import { readFile } from 'node:fs/promises'
import { isAbsolute, relative, resolve, sep } from 'node:path'
import { SendError } from '../../host/outbox/adapter.js'

/** The absolute path of an attachment inside <dataRoot>/plugins/<plugin>; throws when it would leave it. */
export function attachmentPath(dataRoot: string, plugin: string | null | undefined, path: string): string {
  if (!plugin) throw new SendError('an attachment given by path needs the sending plugin', { retryable: false })
  const base = resolve(dataRoot, 'plugins', plugin)
  const full = resolve(base, path)
  const rel = relative(base, full)
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) throw new SendError(`attachment path "${path.slice(0, 100)}" is outside the plugin's data directory`, { retryable: false })
  return full
}

export async function readAttachment(dataRoot: string, plugin: string | null | undefined, path: string, maxBytes = 20 * 1024 * 1024): Promise<Buffer> {
  const full = attachmentPath(dataRoot, plugin, path)
  try {
    const data = await readFile(full)
    if (data.length > maxBytes) throw new SendError(`attachment "${path.slice(0, 100)}" is larger than ${maxBytes} bytes`, { retryable: false })
    return data
  } catch (error) {
    if (error instanceof SendError) throw error
    throw new SendError(`attachment "${path.slice(0, 100)}" cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, { retryable: false })
  }
}
