// hookcat/testing: a real host on a free port with a temporary store, request helpers and captured messages.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import type { z } from 'zod'
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
import { createClock, type TestClock } from './clock.js'
import { sendHelpers, wrapResponse, type SendHelpers, type TestResponse } from './send.js'
import type { DeliveryRow } from '../storage/types.js'

export { SentMessages, type CapturedMessage }
export { createClock, type TestClock, type ClockOptions } from './clock.js'
export type { SendHelpers, SendExtras, TestResponse } from './send.js'
export * from './signers.js'

/**
 * A plugin's entry for `config.plugins`, its config checked against the plugin's schema at compile time:
 * `createTestHost({ plugins: [p], config: { plugins: pluginConfig(p, { webhookSecret: 's' }) } })`.
 */
export function pluginConfig<S extends z.ZodType>(plugin: DefinedPlugin<S>, config: z.input<S>, enabled = true): Record<string, { enabled: boolean; config: Record<string, unknown> }> {
  return { [plugin.name]: { enabled, config: config as Record<string, unknown> } }
}

export interface TestHostOptions {
  plugins?: DefinedPlugin[]
  /** Config as in hookcat.yaml; storage, dataDir and port default to a temporary folder and a free port. */
  config?: HookcatConfigInput
  /** Load hookcat's built-in plugins too (default false). */
  builtins?: boolean
  adapters?: AdapterFactory[]
  /** Use this folder instead of a new temporary one (it is then kept on close). */
  dir?: string
  /** Clock for timestamps, retries and tasks (createClock()); default: real time that advance() can still move on. */
  clock?: TestClock
  /** @deprecated use clock; a bare time source, not advanceable. */
  now?: () => number
  /** false: a plugin whose config is wrong fails alone (state "failed") instead of stopping the start (default true, as serve). */
  strictConfig?: boolean
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
  /** The host's clock: clock.advance(ms) moves time and runs the retries that became due. */
  clock: TestClock
  /** Webhooks signed as a named sender signs them: send.github(…), send.gitlab(…), send.standardWebhooks(…), send.hmac(…), send.bearer(…). */
  send: SendHelpers
  /** Waits until an async delivery is done or failed (by its id from the 202 answer), bounded by timeoutMs. */
  settled(deliveryId: string, timeoutMs?: number): Promise<DeliveryRow>
  webhookUrl(plugin: string, path: string): string
  webhook(plugin: string, path: string, init?: WebhookInit): Promise<TestResponse>
  request(path: string, init?: RequestInit): Promise<TestResponse>
  admin(path: string, init?: RequestInit & { json?: unknown }): Promise<TestResponse>
  close(): Promise<void>
}

const wrap = wrapResponse

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
  const clock = options.clock ?? createClock({ frozen: false })
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
    adapters: [...builtinAdapters, captureAdapter(sent, options.now ?? clock.now), ...(options.adapters ?? [])],
    logger: createLogger({ level: 'debug', destination }),
    baseDir: dir,
    now: options.now ?? clock.now,
    strictConfig: options.strictConfig,
  })
  // A clock that jumps ahead makes due retries run now instead of when their real timers fire.
  const stopWaking = clock.onAdvance(() => host.wake())
  try {
    await host.start()
  } catch (error) {
    // A host that cannot start leaves nothing behind either.
    if (!options.dir) rmSync(dir, { recursive: true, force: true })
    throw error
  }
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
    clock,
    send: sendHelpers((plugin, path) => `${url}/api/plugin/${plugin}/webhook${path}`, options.now ?? clock.now),
    async settled(deliveryId, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const row = await host.storage.getDelivery(deliveryId)
        if (row && (row.status === 'done' || row.status === 'failed')) return row
        if (Date.now() > deadline) throw new Error(`delivery ${deliveryId} is still ${row?.status ?? 'unknown'} after ${timeoutMs} ms`)
        await new Promise((r) => setTimeout(r, 10))
      }
    },
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
      stopWaking()
      await host.stop()
      if (!options.dir) rmSync(dir, { recursive: true, force: true })
    },
  }
}
