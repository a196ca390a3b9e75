// Shared by the cluster tests: start one hookcat process of the cluster, post a signed event to it, find a free port.
import { spawn, type ChildProcess } from 'node:child_process'
import { createHmac } from 'node:crypto'
import http from 'node:http'

export const SECRET = 'cluster-test-secret'
const NODE_SCRIPT = new URL('./node.ts', import.meta.url).pathname

export interface Node {
  port: number
  child: ChildProcess
}

export function startNode(storage: string, port: number, sinkUrl: string): Promise<Node> {
  const child = spawn(process.execPath, ['--import', 'tsx', NODE_SCRIPT, storage, String(port), sinkUrl], { stdio: ['ignore', 'pipe', 'pipe'] })
  return new Promise((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error(`node on ${port} did not start: ${out}`)), 30_000)
    child.stdout!.on('data', (chunk) => {
      out += chunk
      const match = /ready (\d+)/.exec(out)
      if (match) {
        clearTimeout(timer)
        resolve({ port: Number(match[1]), child })
      }
    })
    child.stderr!.on('data', (chunk) => (out += chunk))
    child.on('exit', (code) => reject(new Error(`node exited with ${code}: ${out}`)))
  })
}

export function post(port: number, body: string, headers: Record<string, string>, path = '/api/plugin/cluster/webhook/event'): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.setTimeout(10_000, () => req.destroy())
    req.on('error', () => resolve(0))
    req.end(body)
  })
}

/** The headers of a signed event with the sender's event id. */
export function signedHeaders(body: string, eventId: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-event-id': eventId,
    'x-signature': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
  }
}

export { freePort } from '../support/ports.js'
