// Serves the web UI's files from the ui folder: an allow-list read once at start, so no request can reach another file.
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { SECURITY_HEADERS } from './headers.js'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
}
const MAX_FILES = 500

interface StaticFile {
  body: Buffer
  type: string
  etag: string
}

/** The UI folder: next to this module (sources, or a build that copied it), else the sources beside dist/. */
export function uiFolder(): string {
  const here = fileURLToPath(new URL('./ui/', import.meta.url))
  if (existsSync(join(here, 'index.html'))) return here
  return fileURLToPath(new URL('../../src/admin/ui/', import.meta.url))
}

/** Every servable file under the folder by its URL path ("/index.html"); dot files and unknown types are left out. */
export function loadFiles(folder: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>()
  const walk = (dir: string, depth: number): void => {
    if (depth > 5 || !existsSync(dir)) return
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.') || files.size >= MAX_FILES) continue
      const full = join(dir, name)
      const stat = statSync(full)
      if (stat.isDirectory()) walk(full, depth + 1)
      else if (stat.isFile() && TYPES[extname(name)]) {
        const body = readFileSync(full)
        const url = '/' + relative(folder, full).split(sep).join('/')
        files.set(url, { body, type: TYPES[extname(name)], etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` })
      }
    }
  }
  walk(folder, 0)
  return files
}

export function staticHandler(files: Map<string, StaticFile>) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const headers: Record<string, string> = { ...SECURITY_HEADERS }
    const fail = (status: number, code: string, message: string, extra: Record<string, string> = {}) => {
      const body = JSON.stringify({ error: { code, message } })
      res.writeHead(status, { ...headers, ...extra, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) })
      res.end(body)
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return fail(405, 'METHOD_NOT_ALLOWED', 'The web UI is read with GET', { allow: 'GET, HEAD' })
    const raw = (req.url ?? '/').split('?')[0]
    let path: string
    try {
      path = decodeURIComponent(raw)
    } catch {
      return fail(400, 'BAD_PATH', 'The request path is malformed')
    }
    // The lookup is by exact name in the allow-list; refusing odd paths first only makes the answer clearer.
    if (path.includes('\0') || path.includes('\\') || path.split('/').includes('..')) return fail(400, 'BAD_PATH', 'The request path is malformed')
    const file = files.get(path === '/' ? '/index.html' : path)
    if (!file) return fail(404, 'NOT_FOUND', 'Not found')
    headers['content-type'] = file.type
    headers.etag = file.etag
    headers['cache-control'] = 'no-cache'
    if (req.headers['if-none-match'] === file.etag) {
      res.writeHead(304, headers)
      return void res.end()
    }
    headers['content-length'] = String(file.body.length)
    res.writeHead(200, headers)
    res.end(req.method === 'HEAD' ? undefined : file.body)
  }
}
