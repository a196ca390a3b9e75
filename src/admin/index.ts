// Mounts the admin API under /api/admin and the web UI at / on a host.
import { getRequestListener } from '@hono/node-server'
import type { Host } from '../host/host.js'
import { ADMIN_PREFIX, createAdminApp } from './app.js'
import { createStreamRegistry } from './sse.js'
import { loadFiles, staticHandler, uiFolder } from './static.js'

export { createAdminApp } from './app.js'
export { openApiDocument } from './openapi.js'

/** Adds the admin API (token protected) and the web UI to the host's HTTP surface. */
export function mountAdmin(host: Host, options: { uiFolder?: string } = {}): void {
  const streams = createStreamRegistry()
  const app = createAdminApp(host, streams)
  // overrideGlobalObjects: false keeps the global Request/Response untouched for plugins and the ingress.
  const listener = getRequestListener(app.fetch, { overrideGlobalObjects: false })
  host.mount(ADMIN_PREFIX, listener)
  host.mount('/', staticHandler(loadFiles(options.uiFolder ?? uiFolder())))
  // Open event streams would hold host.stop() until its 3 s grace ends; they end first.
  host.onStop(() => streams.closeAll())
}
