#!/usr/bin/env node
// Issue 13.1's measurement: peak RSS of the built hookcat while 32 unauthenticated connections stream 20 MiB bodies at
// its GitHub webhook, and how long signed requests take meanwhile. Run after `npm run build`: node bench/security-flood.mjs
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { pushBody, SECRET, sign, deliveryId } from './lib/payload.mjs'
import { startServer, stop } from './lib/proc.mjs'
import { startSink } from './lib/sink.mjs'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const option = (name, fallback) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback)
const CONNECTIONS = option('connections', 32)
const BODY_MIB = option('mib', 20)
const SECONDS = option('seconds', 20)
const PORT = option('port', 18031)
const SINK_PORT = PORT + 1
const MiB = 1024 * 1024

const status = (pid, field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024

/** One attacker: a bogus but well-formed signature, a 20 MiB body written as fast as the server takes it; reconnects when refused. */
function attacker(i, until, chunked, stats) {
  const chunk = Buffer.alloc(64 * 1024, 0x61)
  const total = BODY_MIB * MiB
  const run = () => {
    if (Date.now() >= until) return
    stats.attempts++
    const socket = connect({ port: PORT, host: '127.0.0.1', localAddress: `127.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)}` })
    let sent = 0
    let answered = false
    socket.on('error', () => undefined)
    socket.on('data', (d) => {
      if (answered) return
      answered = true
      const code = /^HTTP\/1\.1 (\d{3})/.exec(d.toString('latin1'))?.[1] ?? '?'
      stats.codes[code] = (stats.codes[code] ?? 0) + 1
      socket.destroy()
    })
    socket.on('close', () => setTimeout(run, 10))
    socket.write(
      `POST /api/plugin/github/webhook/github HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-GitHub-Event: push\r\n` +
        `X-GitHub-Delivery: attack-${i}-${stats.attempts}\r\nX-Hub-Signature-256: sha256=${'0'.repeat(64)}\r\n` +
        (chunked ? 'Transfer-Encoding: chunked\r\n\r\n' : `Content-Length: ${total}\r\n\r\n`),
    )
    const pump = () => {
      while (sent < total && !socket.destroyed) {
        const framed = chunked ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]) : chunk
        sent += chunk.length
        if (!socket.write(framed)) return socket.once('drain', pump)
      }
      if (chunked && !socket.destroyed) socket.write('0\r\n\r\n')
    }
    pump()
  }
  run()
}

async function signedRequest(n) {
  const body = pushBody(n)
  const started = performance.now()
  const res = await fetch(`http://127.0.0.1:${PORT}/api/plugin/github/webhook/github`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': deliveryId(7, n), 'x-hub-signature-256': sign(body) },
    body,
    signal: AbortSignal.timeout(30_000),
  }).catch((e) => ({ status: `error ${e.name}` }))
  return { status: res.status, ms: performance.now() - started }
}

async function measure(chunked) {
  const dir = mkdtempSync(join(tmpdir(), 'hookcat-flood-'))
  const sink = await startSink(SINK_PORT)
  const { child } = await startServer(0, join(root, 'bench/servers/hookcat.mjs'), [String(PORT), dir, `http://127.0.0.1:${SINK_PORT}`, SECRET], (l) => l.startsWith('{"ready"'))
  try {
    for (let n = 0; n < 50; n++) await signedRequest(n)
    await new Promise((r) => setTimeout(r, 1000))
    const before = status(child.pid, 'VmRSS')
    const stats = { attempts: 0, codes: {} }
    const until = Date.now() + SECONDS * 1000
    for (let i = 0; i < CONNECTIONS; i++) attacker(i, until, chunked, stats)
    const signed = []
    let n = 1000
    while (Date.now() < until) {
      await new Promise((r) => setTimeout(r, 250))
      signed.push(await signedRequest(n++))
    }
    await new Promise((r) => setTimeout(r, 1500))
    const peak = status(child.pid, 'VmHWM')
    const worst = Math.max(...signed.map((s) => s.ms))
    const ok = signed.filter((s) => s.status === 202 || s.status === 200).length
    return { framing: chunked ? 'chunked' : 'Content-Length', rssBeforeMiB: +before.toFixed(1), peakMiB: +peak.toFixed(1), growthMiB: +(peak - before).toFixed(1), attackAttempts: stats.attempts, attackAnswers: stats.codes, signedOk: `${ok}/${signed.length}`, signedWorstMs: Math.round(worst) }
  } finally {
    await stop(child)
    sink.server.closeAllConnections()
    await new Promise((r) => sink.server.close(r))
    rmSync(dir, { recursive: true, force: true })
  }
}

const results = []
// VmHWM is the process's peak since it started: each framing runs in a fresh server.
for (const chunked of [false, true]) results.push(await measure(chunked))
console.log(JSON.stringify({ connections: CONNECTIONS, bodyMiB: BODY_MIB, seconds: SECONDS, results }, null, 2))
process.exit(0)
