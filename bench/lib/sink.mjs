// The OneBot v11 HTTP endpoint the bench runs: answers /send_group_msg like a OneBot implementation and records arrivals.
import { createServer } from 'node:http'
import { TOKEN } from './payload.mjs'

export function startSink(port) {
  const state = {
    count: 0,
    lastAt: 0,
    /** token → arrival time (performance.now()), when watching. */
    arrivals: null,
    server: undefined,
  }
  let messageId = 0
  const server = createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      const now = performance.now()
      if (req.method !== 'POST' || (req.url !== '/send_group_msg' && req.url !== '/send_private_msg' && req.url !== '/send_msg')) {
        res.writeHead(404, { 'content-type': 'application/json' })
        res.end('{"status":"failed","retcode":1404,"data":null}')
        return
      }
      let message = ''
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
        message = typeof body.message === 'string' ? body.message : JSON.stringify(body.message)
      } catch {
        res.writeHead(400).end()
        return
      }
      state.count++
      state.lastAt = now
      if (state.arrivals) {
        const m = TOKEN.exec(message)
        if (m) state.arrivals.set(Number(m[1]), now)
      }
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(`{"status":"ok","retcode":0,"data":{"message_id":${++messageId}}}`)
    })
  })
  server.keepAliveTimeout = 65_000
  state.server = server
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(state)))
}

/** Waits until the sink has seen `target` messages, or nothing new arrived for idleMs, or the time limit passed. */
export async function waitForArrivals(sink, target, { idleMs = 5000, limitMs = 120_000 } = {}) {
  const started = performance.now()
  let lastCount = sink.count
  let lastChange = performance.now()
  while (sink.count < target) {
    await new Promise((r) => setTimeout(r, 20))
    const now = performance.now()
    if (sink.count !== lastCount) {
      lastCount = sink.count
      lastChange = now
    }
    if (now - lastChange > idleMs || now - started > limitMs) break
  }
  return sink.count
}
