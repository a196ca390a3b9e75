// Writes an upload under <dataDir>/uploads/<chat>/<name>: new files only (O_EXCL), never through a link, never outside uploads/.
import { createHash } from 'node:crypto'
import { mkdir, open, realpath, unlink } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import { HookcatError } from '../../index.js'
import { numbered } from './sanitize.js'

const MAX_COLLISIONS = 1000

export interface StoredFile {
  filename: string
  /** Relative to the plugin's data directory: uploads/<chat>/<name>. */
  path: string
  size: number
  sha256: string
}

function inside(parent: string, child: string): boolean {
  const rel = relative(parent, child)
  return rel !== '' && !rel.startsWith('..') && !rel.includes(`..${sep}`) && !rel.startsWith(sep)
}

export async function storeUpload(dataDir: string, folder: string, name: string, data: Uint8Array): Promise<StoredFile> {
  const root = join(dataDir, 'uploads')
  await mkdir(root, { recursive: true })
  const realRoot = await realpath(root)
  const dir = join(realRoot, folder)
  if (!inside(realRoot, dir)) throw new HookcatError('VALIDATION_FAILED', 'chat_key does not make a valid folder name')
  await mkdir(dir, { recursive: true })
  // A folder replaced by a link to elsewhere is refused, not followed.
  if ((await realpath(dir)) !== dir) throw new HookcatError('CONFLICT', 'The upload folder is not a plain folder')
  for (let n = 0; n < MAX_COLLISIONS; n++) {
    const filename = numbered(name, n)
    const target = join(dir, filename)
    if (!inside(dir, target)) throw new HookcatError('VALIDATION_FAILED', 'The file name is not valid')
    let handle
    try {
      handle = await open(target, 'wx', 0o640)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue
      throw error
    }
    try {
      await handle.writeFile(data)
      await handle.sync()
    } catch (error) {
      await handle.close().catch(() => undefined)
      await unlink(target).catch(() => undefined)
      throw error
    }
    await handle.close()
    return { filename, path: `uploads/${folder}/${filename}`, size: data.byteLength, sha256: createHash('sha256').update(data).digest('hex') }
  }
  throw new HookcatError('CONFLICT', `More than ${MAX_COLLISIONS} files of that name exist for this chat`)
}

export async function removeUpload(dataDir: string, path: string): Promise<void> {
  await unlink(join(dataDir, path)).catch(() => undefined)
}
