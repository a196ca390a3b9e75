// Mounts the admin API under /api/admin and the web UI at / on a host.
import type { Host } from '../host/host.js'

/** Adds the admin API (token protected) and the web UI to the host's HTTP surface. */
export function mountAdmin(host: Host): void {
  host.mount('/api/admin', (_req, res) => {
    res.writeHead(503, { 'content-type': 'application/json; charset=utf-8' })
    res.end(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'The admin API is being built' } }))
  })
}
