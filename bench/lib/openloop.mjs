// An open-loop (constant-rate, wrk2-style) load generator: latency counted from each request's scheduled time.
import { Agent, request } from 'node:http'
import { createHmac } from 'node:crypto'
import { deliveryId, pushBody, repoId, REPOS } from './payload.mjs'

export const BASE = 1_000_000_000

/** Builds bodies that differ only in their 10-digit token (and repository: one template per repository), signed per request. */
function bodyFactory(secret) {
  const templates = Array.from({ length: REPOS }, (_, k) => {
    const body = Buffer.from(pushBody(BASE + k))
    return { body, offset: body.indexOf(`[bench:${BASE + k}]`) + '[bench:'.length }
  })
  return (token) => {
    const template = templates[token % REPOS]
    const body = Buffer.from(template.body)
    body.write(String(BASE + token), template.offset, 'latin1')
    const sig = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`
    return { body, sig }
  }
}

/**
 * Sends `rate` requests per second for `seconds`; tokens are BASE+i so that the sink can match messages.
 * Returns per-request scheduled times and acknowledgement latencies (ms).
 */
export async function openLoop({ url, rate, seconds, secret, run, connections = 50, firstToken = 0, onProgress }) {
  const target = new URL(url)
  const agent = new Agent({ keepAlive: true, maxSockets: connections })
  const make = bodyFactory(secret)
  const total = Math.round(rate * seconds)
  const interval = 1000 / rate
  const scheduled = new Float64Array(total)
  const ack = new Float64Array(total).fill(NaN)
  let sent = 0
  let answered = 0
  let failed = 0
  const start = performance.now() + 5
  await new Promise((resolveAll) => {
    const send = (i) => {
      const token = firstToken + i
      const { body, sig } = make(token)
      const req = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: {
            accept: '*/*',
            'content-type': 'application/json',
            'content-length': body.length,
            'user-agent': 'GitHub-Hookshot/bench',
            'x-github-delivery': deliveryId(run, token),
            'x-github-event': 'push',
            'x-github-hook-id': '482309511',
            'x-github-hook-installation-target-type': 'repository',
            'x-github-hook-installation-target-id': String(repoId(token % REPOS)),
            'x-hub-signature-256': sig,
          },
        },
        (res) => {
          res.resume()
          res.on('end', () => {
            if (res.statusCode === 202 || res.statusCode === 200) ack[i] = performance.now() - scheduled[i]
            else failed++
            if (++answered === total) resolveAll()
          })
        },
      )
      req.on('error', () => {
        failed++
        if (++answered === total) resolveAll()
      })
      req.setTimeout(10_000, () => req.destroy())
      req.end(body)
    }
    const tick = () => {
      const now = performance.now()
      while (sent < total && start + sent * interval <= now) {
        scheduled[sent] = start + sent * interval
        send(sent)
        sent++
      }
      onProgress?.(answered - failed)
      if (sent < total) setTimeout(tick, 1)
    }
    setTimeout(tick, 5)
  })
  agent.destroy()
  return { total, scheduled, ack, failed, firstToken, start }
}

export function percentiles(values) {
  const sorted = Float64Array.from(values.filter((v) => Number.isFinite(v))).sort()
  const at = (p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN)
  return { count: sorted.length, p50: at(50), p99: at(99), p999: at(99.9), max: sorted.length ? sorted[sorted.length - 1] : NaN }
}
