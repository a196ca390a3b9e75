// The host's node:http server: webhooks to the ingress, health, readiness and metrics, and mounted parts (admin, web UI).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import type { AddressInfo } from 'node:net'
import type { HookcatConfig } from '../config/schema.js'
import type { Logger } from '../util/logger.js'
import { errorBody, HookcatError } from '../util/errors.js'
import { MAX_HEADER_SIZE, SERVER_MAX_HEADERS_COUNT } from './ingress/limits.js'
import { PLUGIN_PREFIX } from './ingress/path.js'

export type HttpMount = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>

export interface HostServerDeps {
  settings: HookcatConfig['server']
  logger: Logger
  startedAt: number
  /** The webhook hot path. */
  webhook: (req: IncomingMessage, res: ServerResponse) => Promise<void>
  /** Storage answers (readiness). */
  ping: () => Promise<boolean>
  metrics: () => Promise<{ contentType: string; body: string }>
  /** True once the host began to stop: webhooks get 503 and readiness fails. */
  stopping: () => boolean
  /** Reachability of each adapter instance, as probed at start-up (readiness stays about storage). */
  adapterStates?: () => unknown
  /** Live links of adapters that keep one (OneBot WebSocket, event reporting); shown only when there are any. */
  links?: () => Record<string, unknown>
  /** WebSocket upgrades (adapters that accept connections, e.g. OneBot reverse WebSocket). */
  upgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => void
}

export class HostServer {
  private server?: Server
  private readonly mounts: Array<{ prefix: string; handler: HttpMount }> = []

  constructor(private readonly deps: HostServerDeps) {}

  get port(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port
  }

  /** Serves another part of the HTTP surface (admin API, web UI) under a path prefix; the most specific prefix wins. */
  mount(prefix: string, handler: HttpMount): void {
    this.mounts.push({ prefix, handler })
    this.mounts.sort((a, b) => b.prefix.length - a.prefix.length)
  }

  listen(): Promise<void> {
    const settings = this.deps.settings
    const server = createServer(
      {
        requestTimeout: settings.requestTimeout,
        headersTimeout: Math.min(settings.requestTimeout, 20_000),
        // node checks those timeouts only this often (30 s by default, which could double a short requestTimeout).
        connectionsCheckingInterval: Math.min(30_000, Math.max(100, Math.floor(settings.requestTimeout / 4))),
        keepAliveTimeout: 65_000,
        maxHeaderSize: MAX_HEADER_SIZE,
      },
      (req, res) => this.route(req, res),
    )
    // One past the limit, so that the ingress can tell "too many" (431) from "exactly the limit"; node drops the rest silently.
    server.maxHeadersCount = SERVER_MAX_HEADERS_COUNT
    const upgrade = this.deps.upgrade
    if (upgrade) server.on('upgrade', (req, socket, head) => upgrade(req, socket, head))
    server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
      if (!socket.writable) return socket.destroy()
      const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400
      const text = status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request'
      const body = JSON.stringify({ error: { code: status === 431 ? 'HEADERS_TOO_LARGE' : status === 408 ? 'REQUEST_TIMEOUT' : 'BAD_REQUEST', message: text } })
      socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`)
    })
    this.server = server
    return new Promise((resolvePromise, reject) => {
      server.once('error', reject)
      server.listen(settings.port, settings.host, () => {
        server.off('error', reject)
        resolvePromise()
      })
    })
  }

  /** Stops taking connections; requests in flight get a grace period (bounded), then their connections are closed. */
  async close(graceMs = 3000): Promise<void> {
    const server = this.server
    if (!server) return
    const closed = new Promise<void>((r) => server.close(() => r()))
    server.closeIdleConnections()
    await Promise.race([closed, new Promise((r) => setTimeout(r, graceMs).unref())])
    server.closeAllConnections()
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '/'
    const { stopping } = this.deps
    if (url.startsWith(PLUGIN_PREFIX)) {
      if (stopping()) return this.answerError(res, new HookcatError('SHUTTING_DOWN', undefined, { headers: { 'retry-after': '5' } }))
      void this.deps.webhook(req, res)
      return
    }
    const path = url.split('?')[0]
    if (path === '/healthz') return this.json(res, 200, { status: 'ok', uptime: Math.round((Date.now() - this.deps.startedAt) / 1000) })
    if (path === '/readyz') {
      void this.deps.ping().then((ok) => this.json(res, ok && !stopping() ? 200 : 503, { status: ok && !stopping() ? 'ready' : 'not ready', storage: ok ? 'ok' : 'unreachable', adapters: this.deps.adapterStates?.() ?? {}, ...linksOf(this.deps.links?.()) }))
      return
    }
    if (path === '/metrics') {
      void this.deps.metrics().then(
        ({ contentType, body }) => {
          res.writeHead(200, { 'content-type': contentType })
          res.end(body)
        },
        () => this.answerError(res, new HookcatError('INTERNAL')),
      )
      return
    }
    for (const mount of this.mounts) {
      if (path === mount.prefix || path.startsWith(mount.prefix.endsWith('/') ? mount.prefix : `${mount.prefix}/`) || mount.prefix === '/') {
        Promise.resolve(mount.handler(req, res)).catch((error) => {
          this.deps.logger.error({ err: error, path }, 'request failed')
          this.answerError(res, error)
        })
        return
      }
    }
    this.answerError(res, new HookcatError('NOT_FOUND'))
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body)
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) })
    res.end(text)
  }

  private answerError(res: ServerResponse, error: unknown): void {
    if (res.headersSent) {
      res.destroy()
      return
    }
    const { status, body, headers } = errorBody(error)
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
    res.end(body)
  }
}

function linksOf(links: Record<string, unknown> | undefined): { links?: Record<string, unknown> } {
  return links && Object.keys(links).length ? { links } : {}
}

/** The base URL webhook URLs are built from: server.publicUrl, or the address the server listens on. */
export function publicUrlOf(server: { publicUrl?: string; host: string }, port: number): string {
  if (server.publicUrl) return server.publicUrl.replace(/\/$/, '')
  const host = server.host === '0.0.0.0' || server.host === '::' ? '127.0.0.1' : server.host
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`
}
