// One process of the cluster test: a Host on PostgreSQL with a signed async webhook that sends one message per event to a sink.
import http from 'node:http'
import { createWriteStream, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { z } from 'zod'
import { definePlugin, verify, type WebhookRequest } from '../../src/index.js'
import { parseConfig } from '../../src/config/load.js'
import { Host } from '../../src/host/host.js'
import { defineAdapter, SendError } from '../../src/host/outbox/adapter.js'
import { builtinAdapters } from '../../src/adapters/index.js'
import { createLogger } from '../../src/util/logger.js'

const [storage, port, sinkUrl] = process.argv.slice(2)
export const CLUSTER_SECRET = 'cluster-test-secret'

const agent = new http.Agent({ keepAlive: true, maxSockets: 8 })

/** Posts {chat, text} to the test's sink; anything but 200 is a retryable failure. */
const sink = defineAdapter({
  type: 'sink',
  description: 'cluster test sink',
  config: z.object({ type: z.literal('sink').optional() }),
  create(_settings, context) {
    return {
      name: context.name,
      type: 'sink',
      send: (channel, message, { signal, attempt, messageId }) =>
        new Promise<void>((resolve, reject) => {
          const body = JSON.stringify({ chat: channel, text: message.text, pid: process.pid, attempt, messageId, at: Date.now() })
          const req = http.request(sinkUrl, { method: 'POST', agent, signal, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
            res.resume()
            res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new SendError(`sink answered ${res.statusCode}`, { retryable: true, httpStatus: res.statusCode }))))
          })
          req.on('error', (error) => reject(new SendError(error.message, { retryable: true })))
          req.end(body)
        }),
    }
  },
})

const plugin = definePlugin({
  name: 'cluster',
  version: '1.0.0',
  setup(p) {
    const handler = async (req: WebhookRequest) => {
      const event = await req.json<{ chat: string; n: number }>()
      await p.send(`sink-${event.chat}`, { text: JSON.stringify({ chat: event.chat, n: event.n, delivery: req.deliveryId }) })
      return { ok: true }
    }
    const options = { mode: 'async', verify: verify.hmac(() => CLUSTER_SECRET, { header: 'x-signature', prefix: 'sha256=' }), dedup: { header: 'x-event-id' } } as const
    // Unordered: 24 concurrent senders, order per chat = commit order (cluster.test.ts).
    p.mountWebhook('/event', handler, { ...options, orderingKey: false })
    // Ordered by the route (the default): events reach the chat in acknowledgement order (order.test.ts).
    p.mountWebhook('/ordered', handler, options)
  },
})

const dir = mkdtempSync(join(tmpdir(), 'hookcat-cluster-'))
const config = parseConfig({
  server: { host: '127.0.0.1', port: Number(port) },
  storage,
  dataDir: join(dir, 'data'),
  pluginsDir: join(dir, 'plugins'),
  builtins: false,
  log: { level: 'warn' },
  adapters: { sink: { type: 'sink' } },
  inbox: { backoffBase: 50, backoffMax: 400 },
  outbox: { backoffBase: 50, backoffMax: 400 },
})
const host = new Host({ config, plugins: [{ definition: plugin }], adapters: [...builtinAdapters, sink], logger: createLogger(process.env.CLUSTER_LOG_DIR ? { level: 'info', destination: createWriteStream(join(process.env.CLUSTER_LOG_DIR, `node-${process.pid}.log`)) } : { level: 'warn' }), baseDir: dir })
await host.start()
process.stdout.write(`ready ${host.port}\n`)
process.on('SIGTERM', () => void host.stop().then(() => process.exit(0)))
