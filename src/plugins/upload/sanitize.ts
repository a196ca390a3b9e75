// Safe file and folder names for uploads: whatever a client sends, the result is one plain name inside uploads/.
import { createHash } from 'node:crypto'

const MAX_NAME_BYTES = 200
const MAX_EXT = 16
const MAX_DIR = 100
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g
const RESERVED = /[<>:"|?*]/g
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i

function utf8Cut(text: string, bytes: number): string {
  let out = ''
  let used = 0
  for (const ch of text) {
    const size = Buffer.byteLength(ch)
    if (used + size > bytes) break
    out += ch
    used += size
  }
  return out
}

/** The last path segment of a client's file name, cleaned: no separators, no leading dots, no control characters, ≤ 200 bytes. */
export function sanitizeFileName(input: unknown): string {
  let name = typeof input === 'string' ? input : ''
  name = name.replace(CONTROL, '')
  name = name.split(/[/\\]/).pop() ?? ''
  name = name.replace(RESERVED, '_').trim()
  // Leading dots would make ".." or hidden files; trailing dots and spaces are dropped by Windows.
  name = name.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '')
  if (WINDOWS_DEVICE.test(name)) name = `_${name}`
  if (Buffer.byteLength(name) > MAX_NAME_BYTES) {
    const dot = name.lastIndexOf('.')
    const ext = dot > 0 && name.length - dot <= MAX_EXT ? name.slice(dot) : ''
    name = utf8Cut(ext ? name.slice(0, dot) : name, MAX_NAME_BYTES - Buffer.byteLength(ext)) + ext
  }
  return name || 'file'
}

/** A folder name for a chat_key; when cleaning changed it, a short hash of the original keeps two chats apart. */
export function chatFolder(chatKey: string): string {
  let name = chatKey.replace(/[^A-Za-z0-9._@+-]/g, '_').replace(/^\.+/, '_')
  const changed = name !== chatKey || name.length > MAX_DIR
  if (changed) name = `${name.slice(0, MAX_DIR - 9)}_${createHash('sha256').update(chatKey).digest('hex').slice(0, 8)}`
  return name
}

/** name.ext → name-1.ext, name-2.ext, … for the n-th collision. */
export function numbered(name: string, n: number): string {
  if (n === 0) return name
  const dot = name.lastIndexOf('.')
  return dot > 0 ? `${name.slice(0, dot)}-${n}${name.slice(dot)}` : `${name}-${n}`
}
