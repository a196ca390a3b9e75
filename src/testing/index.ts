// hookcat/testing: a real host on a free port with a temporary store, request helpers and captured messages.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { parseConfig } from '../config/load.js'
import type { HookcatConfigInput } from '../config/schema.js'
import { Host } from '../host/host.js'
import { mountAdmin } from '../admin/index.js'
import type { AdapterFactory } from '../host/outbox/adapter.js'
import type { DefinedPlugin } from '../host/plugin/types.js'
import { builtinAdapters } from '../adapters/index.js'
import { builtinPlugins } from '../plugins/index.js'
import { createLogger } from '../util/logger.js'
import { captureAdapter, SentMessages, type CapturedMessage } from './capture-adapter.js'

export { SentMessages, type CapturedMessage }

export interface TestHostOptions {
  plugins?: DefinedPlugin[]
  /** Config as in hookcat.yaml; storage, dataDir and port default to a temporary folder and a free port. */
  config?: HookcatConfigInput
  /** Load hookcat's built-in plugins too (default false). */
  builtins?: boolean
  adapters?: AdapterFactory[]
  /** Use this folder instead of a new temporary one (it is then kept on close). */
  dir?: string
  /** Clock for timestamps, retries and tasks. */
  now?: () => number
}

export interface TestResponse {
  status: number
  headers: Headers
  text: string
  json<T = any>(): T
}

export interface WebhookInit {
  method?: string
  /** An object is sent as JSON; a string or Buffer as is. */
  body?: unknown
  headers?: Record<string, string>
  query?: Record<string, string>
}

export interface TestHost {
  host: Host
  /** Base URL, e.g. http://127.0.0.1:40123 */
  url: string
  dir: string
  /** Every log line the host wrote, as parsed JSON objects. */
  logs: Array<Record<string, unknown>>
  /** Messages sent to test-<channel> chat_keys. */
  sent: SentMessages
  adminToken: string
  webhookUrl(plugin: string, path: string): string
  webhook(plugin: string, path: string, init?: WebhookInit): Promise<TestResponse>
  request(path: string, init?: RequestInit): Promise<TestResponse>
  admin(path: string, init?: RequestInit & { json?: unknown }): Promise<TestResponse>
  close(): Promise<void>
}

async function wrap(res: Response): Promise<TestResponse> {
  const text = await res.text()
  return {
    status: res.status,
    headers: res.headers,
    text,
    json: () => JSON.parse(text),
  }
}

export function encodeBody(body: unknown, headers: Record<string, string>): RequestInit["body"] {
  if (body === undefined) return undefined
  if (typeof body === 'string' || body instanceof Uint8Array || body instanceof FormData || body instanceof URLSearchParams) return body as RequestInit["body"]
  if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json'
  return JSON.stringify(body)
}

export async function createTestHost(options: TestHostOptions = {}): Promise<TestHost> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'hookcat-test-'))
  const logs: Array<Record<string, unknown>> = []
  const destination = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n')) {
        if (!line) continue
        try {
          logs.push(JSON.parse(line) as Record<string, unknown>)
        } catch {
          logs.push({ msg: line })
        }
      }
      done()
    },
  })
  const sent = new SentMessages()
  const input = options.config ?? {}
  const config = parseConfig(
    {
      ...input,
      server: { host: '127.0.0.1', port: 0, ...(input.server ?? {}) },
      storage: input.storage ?? `sqlite:${join(dir, 'hookcat.db')}`,
      dataDir: input.dataDir ?? join(dir, 'data'),
      pluginsDir: input.pluginsDir ?? join(dir, 'plugins'),
      adapters: { test: { type: 'capture' }, ...(input.adapters ?? {}) },
    },
    { env: process.env },
  )
  const plugins = [...(options.builtins ? builtinPlugins : []), ...(options.plugins ?? [])].map((definition) => ({ definition }))
  const host = new Host({
    config,
    plugins,
    adapters: [...builtinAdapters, captureAdapter(sent), ...(options.adapters ?? [])],
    logger: createLogger({ level: 'debug', destination }),
    baseDir: dir,
    now: options.now,
  })
  await host.start()
  mountAdmin(host)
  const url = `http://127.0.0.1:${host.port}`
  const adminToken = host.adminToken.token
  return {
    host,
    url,
    dir,
    logs,
    sent,
    adminToken,
    webhookUrl: (plugin, path) => `${url}/api/plugin/${plugin}/webhook${path}`,
    async webhook(plugin, path, init = {}) {
      const headers = { ...(init.headers ?? {}) }
      const body = encodeBody(init.body, headers)
      const query = init.query ? `?${new URLSearchParams(init.query)}` : ''
      return wrap(await fetch(`${url}/api/plugin/${plugin}/webhook${path}${query}`, { method: init.method ?? 'POST', headers, body }))
    },
    async request(path, init) {
      return wrap(await fetch(`${url}${path}`, init))
    },
    async admin(path, init = {}) {
      const headers = new Headers(init.headers)
      headers.set('authorization', `Bearer ${adminToken}`)
      let body = init.body
      if (init.json !== undefined) {
        headers.set('content-type', 'application/json')
        body = JSON.stringify(init.json)
      }
      return wrap(await fetch(`${url}${path}`, { ...init, headers, body }))
    },
    async close() {
      await host.stop()
      if (!options.dir) rmSync(dir, { recursive: true, force: true })
    },
  }
}
