// HTTP upgrades (WebSocket) on the main server: routed by path to the adapters that registered them; the rest refused.
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import type { Logger } from '../util/logger.js'
import type { UpgradeHandler } from './outbox/adapter.js'

export class UpgradeRouter {
  private readonly handlers = new Map<string, UpgradeHandler[]>()

  add(path: string, handler: UpgradeHandler): void {
    const list = this.handlers.get(path) ?? []
    list.push(handler)
    this.handlers.set(path, list)
  }

  handle(req: IncomingMessage, socket: Duplex, head: Buffer, logger: Logger): void {
    socket.on('error', () => socket.destroy())
    const path = (req.url ?? '/').split('?')[0]
    for (const handler of this.handlers.get(path) ?? []) {
      try {
        if (handler(req, socket, head)) return
      } catch (error) {
        logger.error({ err: error, path }, 'WebSocket upgrade failed')
        return refuse(socket, 500, 'Internal Server Error')
      }
    }
    logger.warn({ path: path.slice(0, 200), client: req.socket.remoteAddress, selfId: String(req.headers['x-self-id'] ?? '').slice(0, 20) }, 'WebSocket upgrade refused: no adapter takes it')
    refuse(socket, this.handlers.has(path) ? 403 : 404, this.handlers.has(path) ? 'Forbidden' : 'Not Found')
  }
}

export function refuse(socket: Duplex, status: number, text: string): void {
  if (!socket.writable) return void socket.destroy()
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
}
