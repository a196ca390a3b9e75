#!/usr/bin/env node
// npm run bench: hookcat against the bare node:http ceiling and the Probot-style stack, on this machine, in one run (see docs/performance.md).
import { execFileSync, spawnSync } from 'node:child_process'
import { randomBytes, createHmac } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { BASE, openLoop, percentiles } from './lib/openloop.mjs'
import { pushBody, SECRET, sign } from './lib/payload.mjs'
import { cpuSeconds, httpStatus, rssMb, runWrk, spawnPinned, startServer, stop } from './lib/proc.mjs'
import { markdown, summarize, svg, targets, updateDoc } from './lib/report.mjs'
import { startSink, waitForArrivals } from './lib/sink.mjs'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const argv = process.argv.slice(2)
const flag = (name) => argv.includes(`--${name}`)
const option = (name, fallback) => {
  const hit = argv.find((a) => a.startsWith(`--${name}=`))
  return hit ? hit.slice(name.length + 3) : fallback
}
if (flag('help')) {
  console.log(`npm run bench [-- --quick] [--rounds=N] [--seconds=N] [--only=throughput,latency,memory,startup,postgres] [--memory-target=N] [--memory-rate=N] [--memory-seconds=N] [--profile] [--no-build] [--no-docs]`)
  process.exit(0)
}
const quick = flag('quick')
const settings = {
  rounds: Number(option('rounds', 3)),
  seconds: Number(option('seconds', quick ? 4 : 10)),
  warmup: quick ? 1 : 3,
  connections: 50,
  latencySeconds: quick ? 5 : 20,
  memoryTarget: Number(option('memory-target', quick ? 10_000 : 1_000_000)),
  // 1,000,000 deliveries at about 1,000/s (what this 2-core machine holds while the outbox delivers) take ~17 minutes.
  memoryLimitSeconds: Number(option('memory-seconds', quick ? 30 : 1500)),
  memoryRate: option('memory-rate', undefined),
  bodyBytes: Buffer.byteLength(pushBody(0)),
  plugin: 'bench-github',
}
const only = option('only', 'throughput,latency,memory,startup,postgres').split(',')
const log = (...a) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...a)
const began = performance.now()

// --- what the bench needs -------------------------------------------------------------------------
function which(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0
}
if (!which('taskset')) throw new Error('taskset (util-linux) is needed to pin the server and the load generator')
if (!which('wrk')) {
  log('wrk is missing: installing it from Debian (apt-get install -y wrk)')
  const install = () => spawnSync('apt-get', ['install', '-y', 'wrk'], { stdio: 'inherit' }).status === 0
  if (!install()) {
    spawnSync('apt-get', ['update'], { stdio: 'inherit' })
    if (!install()) throw new Error('could not install wrk; install it (apt-get install wrk) and run again')
  }
}
for (const pkg of ['express', '@octokit/webhooks']) {
  if (!existsSync(join(root, 'node_modules', pkg))) throw new Error(`${pkg} is missing: run npm install (it is a devDependency)`)
}
if (cpus().length < 2) throw new Error('the bench needs two cores: the server on core 0, the load generator on core 1')
// This process runs the OneBot endpoint and the open-loop generator: it lives on core 1 with wrk.
execFileSync('taskset', ['-a', '-cp', '1', String(process.pid)], { stdio: 'ignore' })
if (!flag('no-build')) {
  log('building hookcat (npm run build)')
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' })
}
const wrkVersion = (spawnSync('wrk', ['-v'], { encoding: 'utf8' }).stdout || '').split('\n')[0].split(' Copyright')[0].trim() || 'wrk'

// --- fixtures -------------------------------------------------------------------------------------
const work = mkdtempSync(join(tmpdir(), 'hookcat-bench-'))
process.on('exit', () => rmSync(work, { recursive: true, force: true }))
const bodiesFile = join(work, 'bodies.tsv')
{
  const lines = []
  for (let n = 0; n < 100; n++) {
    const body = pushBody(n)
    lines.push(`${sign(body)}\tsha1=${createHmac('sha1', SECRET).update(body).digest('hex')}\t${body}`)
  }
  writeFileSync(bodiesFile, `${lines.join('\n')}\n`)
}
const luaFile = join(root, 'bench', 'wrk', 'github-push.lua')
const SINK_PORT = 18_790
const SERVER_PORT = 18_791
const sink = await startSink(SINK_PORT)
const sinkUrl = `http://127.0.0.1:${SINK_PORT}`
const newRun = () => randomBytes(4).toString('hex')
const profileDir = flag('profile') ? join(root, 'bench', 'profiles') : undefined
if (profileDir) mkdirSync(profileDir, { recursive: true })

// --- servers ---------------------------------------------------------------------------------------
const servers = {
  ceiling: () => startServer(0, join(root, 'bench/servers/ceiling.mjs'), [String(SERVER_PORT), SECRET], (l) => l === 'listening').then(({ child }) => ({ child, url: `http://127.0.0.1:${SERVER_PORT}/webhook` })),
  probot: () =>
    startServer(0, join(root, 'bench/servers/probot.mjs'), [String(SERVER_PORT), SECRET], (l) => l === 'listening').then(({ child }) => ({ child, url: `http://127.0.0.1:${SERVER_PORT}/api/github/webhooks` })),
  hookcat: async ({ storage, profile, port = SERVER_PORT } = {}) => {
    const dir = mkdtempSync(join(work, 'hookcat-'))
    const { child, line } = await startServer(0, join(root, 'bench/servers/hookcat.mjs'), [String(port), dir, sinkUrl, SECRET], (l) => l.startsWith('{"ready"'), {
      nodeFlags: profile && profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
      env: storage ? { BENCH_STORAGE: storage } : {},
    })
    const info = JSON.parse(line)
    settings.plugin = info.plugin
    return { child, url: info.webhook, dir }
  },
}

async function load(url, seconds) {
  return runWrk({ url, seconds, connections: settings.connections, bodiesFile, runId: newRun(), luaFile })
}

/** One measured run of a configuration: fresh server, warm-up, then wrk; for hookcat also the arrivals at the OneBot endpoint. */
async function measure(kind, options = {}) {
  const server = await servers[kind === 'ceiling' || kind === 'probot' ? kind : 'hookcat'](options)
  try {
    const warm = await load(server.url, settings.warmup)
    if (kind === 'hookcat') await waitForArrivals(sink, sink.count + warm.ok, { idleMs: 3000, limitMs: 60_000 })
    const count0 = sink.count
    const cpu0 = cpuSeconds(server.child.pid)
    const t0 = performance.now()
    const r = await load(server.url, settings.seconds)
    const cpu1 = cpuSeconds(server.child.pid)
    // Server CPU per request: less sensitive than req/s to other work on a shared machine.
    const result = { rate: r.rate, requests: r.requests, errors: r.errors, p50: r.p50_us / 1000, p99: r.p99_us / 1000, cpuUsPerRequest: ((cpu1 - cpu0) / r.requests) * 1e6 }
    if (kind === 'hookcat') {
      const got = (await waitForArrivals(sink, count0 + r.ok, { idleMs: 5000, limitMs: 180_000 })) - count0
      result.arrived = got
      result.e2eRate = got / ((sink.lastAt - t0) / 1000)
      result.drainSeconds = (sink.lastAt - t0) / 1000 - r.seconds
      result.cpuUsPerEvent = ((cpuSeconds(server.child.pid) - cpu0) / Math.max(1, got)) * 1e6
    }
    return result
  } finally {
    await stop(server.child)
    if (server.dir) rmSync(server.dir, { recursive: true, force: true })
  }
}

/** Several hookcat processes on one database, the load spread evenly over them (one wrk each, all on core 1). */
async function measureCluster(storage, processes) {
  const nodes = []
  try {
    for (let i = 0; i < processes; i++) nodes.push(await servers.hookcat({ storage, port: SERVER_PORT + 10 + i }))
    const connections = Math.max(1, Math.floor(settings.connections / processes))
    const spread = (seconds) => Promise.all(nodes.map((node) => runWrk({ url: node.url, seconds, connections, bodiesFile, runId: newRun(), luaFile })))
    const warm = await spread(settings.warmup)
    await waitForArrivals(sink, sink.count + warm.reduce((n, r) => n + r.ok, 0), { idleMs: 3000, limitMs: 60_000 })
    const count0 = sink.count
    const t0 = performance.now()
    const runs = await spread(settings.seconds)
    const ok = runs.reduce((n, r) => n + r.ok, 0)
    const got = (await waitForArrivals(sink, count0 + ok, { idleMs: 5000, limitMs: 180_000 })) - count0
    return { rate: runs.reduce((n, r) => n + r.rate, 0), errors: runs.reduce((n, r) => n + r.errors, 0), arrived: got, e2eRate: got / ((sink.lastAt - t0) / 1000), processes }
  } finally {
    for (const node of nodes) {
      await stop(node.child)
      rmSync(node.dir, { recursive: true, force: true })
    }
  }
}

const results = {
  date: new Date().toISOString().slice(0, 10),
  startedAt: new Date().toISOString(),
  mode: quick ? 'quick' : 'full',
  machine: { cpus: cpus().length, cpuModel: cpus()[0].model.trim(), node: process.versions.node, wrk: wrkVersion, loadavg: null },
  settings,
  runs: { ceiling: [], probot: [], hookcat: [] },
}

// --- 1–4: throughput, interleaved -----------------------------------------------------------------
if (only.includes('throughput')) {
  for (let round = 1; round <= settings.rounds; round++) {
    for (const kind of ['ceiling', 'probot', 'hookcat']) {
      const r = await measure(kind, { profile: kind === 'hookcat' && round === settings.rounds })
      results.runs[kind].push(r)
      log(`round ${round} ${kind}: ${Math.round(r.rate)} req/s, ${Math.round(r.cpuUsPerRequest)} µs CPU/req${r.errors ? ` (${r.errors} errors)` : ''}${r.e2eRate ? `, end-to-end ${Math.round(r.e2eRate)} msg/s (${r.arrived} arrived, drained ${r.drainSeconds.toFixed(1)} s after the load)` : ''}`)
    }
  }
}
const rates = (kind, key = 'rate') => summarize(results.runs[kind].map((r) => r[key]))
results.throughput = { ceiling: rates('ceiling'), probot: rates('probot'), ingest: rates('hookcat'), e2e: rates('hookcat', 'e2eRate') }
results.cpu = {
  ceiling: rates('ceiling', 'cpuUsPerRequest'),
  probot: rates('probot', 'cpuUsPerRequest'),
  ingest: rates('hookcat', 'cpuUsPerRequest'),
  e2e: rates('hookcat', 'cpuUsPerEvent'),
}

// --- 5: latency under open-loop load at 50 % of the ack rate ------------------------------------------
if (only.includes('latency') && Number.isFinite(results.throughput.ingest.median)) {
  const rate = Math.round(results.throughput.ingest.median / 2)
  const server = await servers.hookcat()
  try {
    const run = Number.parseInt(newRun(), 16)
    await openLoop({ url: server.url, rate, seconds: 2, secret: SECRET, run, firstToken: 0 })
    await waitForArrivals(sink, sink.count + rate * 2, { idleMs: 2000, limitMs: 30_000 })
    sink.arrivals = new Map()
    const first = 1_000_000
    const lo = await openLoop({ url: server.url, rate, seconds: settings.latencySeconds, secret: SECRET, run, firstToken: first })
    const ok = lo.ack.filter(Number.isFinite).length
    await waitForArrivals({ get count() { return sink.arrivals.size } }, ok, { idleMs: 5000, limitMs: 60_000 })
    const e2e = []
    for (let i = 0; i < lo.total; i++) {
      const at = sink.arrivals.get(BASE + first + i)
      if (at !== undefined) e2e.push(at - lo.scheduled[i])
    }
    sink.arrivals = null
    results.latency = { rate, seconds: settings.latencySeconds, failed: lo.failed, ack: percentiles(Array.from(lo.ack)), e2e: percentiles(e2e) }
    log(`latency at ${rate} req/s: ack p50 ${results.latency.ack.p50.toFixed(2)} p99 ${results.latency.ack.p99.toFixed(2)} p99.9 ${results.latency.ack.p999.toFixed(2)} ms; end-to-end p50 ${results.latency.e2e.p50.toFixed(2)} p99 ${results.latency.e2e.p99.toFixed(2)} p99.9 ${results.latency.e2e.p999.toFixed(2)} ms`)
  } finally {
    await stop(server.child)
  }
}

// --- 6: memory at a steady rate, and start-up time --------------------------------------------------
if (only.includes('memory')) {
  // Half the measured ingest rate, at most 1,000/s (a steady rate the machine holds for the whole run), or --memory-rate.
  const measured = results.throughput?.ingest?.median
  const rate = Math.round(settings.memoryRate ? Number(settings.memoryRate) : Number.isFinite(measured) ? Math.min(measured / 2, 1000) : 1000)
  const server = await servers.hookcat()
  try {
    const run = Number.parseInt(newRun(), 16)
    const memory = { rate, target: settings.memoryTarget }
    const seconds = Math.min(settings.memoryTarget / rate, settings.memoryLimitSeconds)
    let sampled10k = false
    const lo = await openLoop({
      url: server.url,
      rate,
      seconds,
      secret: SECRET,
      run,
      onProgress: (acked) => {
        if (!sampled10k && acked >= 10_000) {
          sampled10k = true
          memory.rssAt10k = rssMb(server.child.pid)
        }
      },
    })
    const acked = lo.ack.filter(Number.isFinite).length
    memory.delivered = acked
    memory.rssAtEnd = rssMb(server.child.pid)
    if (acked >= 1_000_000) memory.rssAt1M = memory.rssAtEnd
    else if (!quick) memory.note = `not reached: ${acked} deliveries in the ${settings.memoryLimitSeconds} s limit (RSS then ${Math.round(memory.rssAtEnd)} MB)`
    results.memory = memory
    log(`memory: RSS ${memory.rssAt10k?.toFixed(0)} MB after 10,000; ${memory.rssAtEnd.toFixed(0)} MB after ${acked}`)
  } finally {
    await stop(server.child)
  }
}
if (only.includes('startup')) {
  const times = []
  for (let i = 0; i < 3; i++) {
    const dir = mkdtempSync(join(work, 'start-'))
    const t0 = performance.now()
    const child = spawnPinned(0, join(root, 'bench/servers/hookcat.mjs'), [String(SERVER_PORT), dir, sinkUrl, SECRET])
    let ready = false
    while (!ready && performance.now() - t0 < 20_000 && child.exitCode === null) {
      ready = (await httpStatus(`http://127.0.0.1:${SERVER_PORT}/readyz`)) === 200
      if (!ready) await new Promise((r) => setTimeout(r, 2))
    }
    if (ready) times.push(performance.now() - t0)
    await stop(child)
    rmSync(dir, { recursive: true, force: true })
  }
  results.startup = summarize(times)
  log(`start-up to /readyz 200: ${times.map((t) => Math.round(t)).join(', ')} ms`)
}

// --- 7: PostgreSQL ----------------------------------------------------------------------------------
if (only.includes('postgres')) {
  const pgBase = process.env.BENCH_POSTGRES_URL ?? process.env.HOOKCAT_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test'
  const hasBackend = existsSync(join(root, 'dist', 'storage', 'postgres', 'pg-storage.js'))
  let client
  if (hasBackend) {
    try {
      const pg = (await import('pg')).default
      client = new pg.Client({ connectionString: pgBase, connectionTimeoutMillis: 2000 })
      await client.connect()
    } catch (error) {
      results.postgres = { note: `not available: no PostgreSQL server at ${pgBase.replace(/\/\/[^@]*@/, '//')} (${error.message}); set BENCH_POSTGRES_URL` }
      client = undefined
    }
  } else results.postgres = { note: 'not available: hookcat has no PostgreSQL backend in this build' }
  if (client) {
    const schema = `hookcat_bench_${newRun()}`
    const url = new URL(pgBase)
    url.searchParams.set('schema', schema)
    const runs = []
    const clusterRuns = []
    try {
      for (let round = 1; round <= settings.rounds; round++) {
        const r = await measure('hookcat', { storage: url.toString() })
        runs.push(r)
        log(`round ${round} hookcat on PostgreSQL: ${Math.round(r.rate)} req/s, end-to-end ${Math.round(r.e2eRate)} msg/s`)
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
        const c = await measureCluster(url.toString(), 3)
        clusterRuns.push(c)
        log(`round ${round} three hookcat processes on PostgreSQL: ${Math.round(c.rate)} req/s, end-to-end ${Math.round(c.e2eRate)} msg/s`)
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
      }
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined)
      await client.end()
    }
    results.runs.postgres = runs
    results.runs.postgresCluster = clusterRuns
    results.postgres = {
      ingest: summarize(runs.map((r) => r.rate)),
      e2e: summarize(runs.map((r) => r.e2eRate)),
      cluster: { processes: 3, ingest: summarize(clusterRuns.map((r) => r.rate)), e2e: summarize(clusterRuns.map((r) => r.e2eRate)) },
      server: pgBase.replace(/\/\/[^@]*@/, '//'),
    }
  }
}

// --- output ---------------------------------------------------------------------------------------
results.targets = targets(results)
results.finishedAt = new Date().toISOString()
results.seconds = Math.round((performance.now() - began) / 1000)
const outDir = join(root, 'bench', 'results')
mkdirSync(outDir, { recursive: true })
const base = quick ? `${results.date}-quick` : results.date
const jsonPath = join(outDir, `${base}.json`)
writeFileSync(jsonPath, `${JSON.stringify(results, null, 2)}\n`)
const table = markdown(results)
writeFileSync(join(outDir, `${base}.md`), `${table}\n`)
writeFileSync(join(outDir, `${base}.svg`), svg(results))
if (!quick && !flag('no-docs')) {
  const doc = join(root, 'docs', 'performance.md')
  updateDoc(doc, table, relative(dirname(doc), join(outDir, `${base}.svg`)), relative(dirname(doc), jsonPath))
}
console.log(`\n${table}\n`)
log(`done in ${results.seconds} s; results in ${relative(root, jsonPath)}`)
sink.server.close()
process.exit(0)
