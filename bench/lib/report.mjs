// Bench results as numbers, a markdown table and an SVG chart, and the generated section of docs/performance.md.
import { readFileSync, writeFileSync } from 'node:fs'

export function summarize(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b)
  if (v.length === 0) return { median: NaN, min: NaN, max: NaN, runs: [] }
  const mid = v.length >> 1
  return { median: v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2, min: v[0], max: v[v.length - 1], runs: values }
}

const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '—')
const ms = (n) => (Number.isFinite(n) ? `${n < 10 ? n.toFixed(2) : n.toFixed(1)} ms` : '—')
const mark = (ok) => (ok === undefined ? '' : ok ? '✅' : '❌')

export function targets(r) {
  const c = r.throughput.ceiling.median
  const out = []
  const add = (name, value, limit, ok, shown) => out.push({ name, value, limit, ok, shown })
  add('async ingest ≥ 0.8 × ceiling', r.throughput.ingest.median / c, 0.8, r.throughput.ingest.median / c >= 0.8, `${(r.throughput.ingest.median / c).toFixed(2)} ×`)
  add('async ingest ≥ 1.8 × probot-style', r.throughput.ingest.median / r.throughput.probot.median, 1.8, r.throughput.ingest.median / r.throughput.probot.median >= 1.8, `${(r.throughput.ingest.median / r.throughput.probot.median).toFixed(2)} ×`)
  add('end-to-end ≥ 0.4 × ceiling', r.throughput.e2e.median / c, 0.4, r.throughput.e2e.median / c >= 0.4, `${(r.throughput.e2e.median / c).toFixed(2)} ×`)
  if (r.latency) {
    add('ack p99 ≤ 10 ms at 50 % load', r.latency.ack.p99, 10, r.latency.ack.p99 <= 10, ms(r.latency.ack.p99))
    add('end-to-end p99 ≤ 50 ms at 50 % load', r.latency.e2e.p99, 50, r.latency.e2e.p99 <= 50, ms(r.latency.e2e.p99))
  }
  if (r.memory?.rssAt1M) {
    add('RSS after 1,000,000 ≤ 1.5 × RSS after 10,000', r.memory.rssAt1M / r.memory.rssAt10k, 1.5, r.memory.rssAt1M / r.memory.rssAt10k <= 1.5, `${(r.memory.rssAt1M / r.memory.rssAt10k).toFixed(2)} ×`)
    add('RSS after 1,000,000 ≤ 200 MB', r.memory.rssAt1M, 200, r.memory.rssAt1M <= 200, `${fmt(r.memory.rssAt1M)} MB`)
  }
  if (r.startup) add('start-up to ready ≤ 1 s', r.startup.median, 1000, r.startup.median <= 1000, `${fmt(r.startup.median)} ms`)
  return out
}

export function markdown(r) {
  const c = r.throughput.ceiling.median
  const row = (name, s, cpu, note = '') => `| ${name} | ${fmt(s.median)} | ${fmt(s.min)} – ${fmt(s.max)} | ${(s.median / c).toFixed(2)} | ${cpu ? fmt(cpu.median) : '—'} | ${note} |`
  const lines = [
    `Run of ${r.date} (${r.mode} mode) on ${r.machine.cpus} × ${r.machine.cpuModel}, Node.js ${r.machine.node}, ${r.machine.wrk}; server on core 0, load on core 1, ${r.settings.connections} connections, ${fmt(r.settings.bodyBytes)}-byte signed \`push\` bodies, median of ${r.settings.rounds} runs of ${r.settings.seconds} s after a warm-up, interleaved.`,
    '',
    '| configuration | req/s (median) | min – max | × ceiling | server CPU µs per request | |',
    '|---|---:|---:|---:|---:|---|',
    row('1. ceiling: `node:http` + HMAC + `JSON.parse`, no storage', r.throughput.ceiling, r.cpu?.ceiling),
    row('2. probot-style: Express + `@octokit/webhooks`', r.throughput.probot, r.cpu?.probot, 'stores nothing'),
    row(`3. hookcat async ingest (${r.settings.plugin}, SQLite FULL, log + dedup): acks`, r.throughput.ingest, r.cpu?.ingest, 'every 202 committed first; delivery runs alongside'),
    row('4. hookcat end-to-end: messages arrived at the OneBot endpoint', r.throughput.e2e, r.cpu?.e2e, 'until the last one arrived'),
  ]
  if (r.latency) {
    const l = r.latency
    lines.push(
      '',
      `5. Latency, open loop at ${fmt(l.rate)} req/s (50 % of 3) for ${l.seconds} s (${fmt(l.ack.count)} requests, ${fmt(l.failed)} failed, ${fmt(l.e2e.count)} messages matched):`,
      '',
      '| | p50 | p99 | p99.9 | max |',
      '|---|---:|---:|---:|---:|',
      `| acknowledgement (202) | ${ms(l.ack.p50)} | ${ms(l.ack.p99)} | ${ms(l.ack.p999)} | ${ms(l.ack.max)} |`,
      `| webhook sent → message at OneBot endpoint | ${ms(l.e2e.p50)} | ${ms(l.e2e.p99)} | ${ms(l.e2e.p999)} | ${ms(l.e2e.max)} |`,
    )
  }
  lines.push('', '6. Memory and start-up:', '')
  if (r.memory) {
    lines.push(`- RSS after 10,000 deliveries: ${fmt(r.memory.rssAt10k)} MB; after 1,000,000: ${r.memory.rssAt1M ? `${fmt(r.memory.rssAt1M)} MB` : r.memory.note ?? 'not run (quick mode)'} (steady ${fmt(r.memory.rate)} req/s).`)
  }
  if (r.startup) lines.push(`- Start-up, process start → \`/readyz\` 200: median ${fmt(r.startup.median)} ms (${fmt(r.startup.min)} – ${fmt(r.startup.max)}).`)
  const pg = r.postgres
  if (pg?.ingest) {
    lines.push(
      '',
      `7. PostgreSQL (${pg.server}; its server processes are not pinned and use both cores), beside SQLite (${fmt(r.throughput?.ingest?.median)} req/s ingest, ${fmt(r.throughput?.e2e?.median)} msg/s end-to-end):`,
      '',
      '| PostgreSQL | async ingest req/s (median, min – max) | × ceiling | end-to-end msg/s | × ceiling |',
      '|---|---:|---:|---:|---:|',
      `| one process | ${fmt(pg.ingest.median)} (${fmt(pg.ingest.min)} – ${fmt(pg.ingest.max)}) | ${(pg.ingest.median / c).toFixed(2)} | ${fmt(pg.e2e.median)} | ${(pg.e2e.median / c).toFixed(2)} |`,
    )
    if (pg.cluster) {
      lines.push(
        `| ${pg.cluster.processes} processes (all pinned to core 0, load split over them) | ${fmt(pg.cluster.ingest.median)} (${fmt(pg.cluster.ingest.min)} – ${fmt(pg.cluster.ingest.max)}) | ${(pg.cluster.ingest.median / c).toFixed(2)} | ${fmt(pg.cluster.e2e.median)} | ${(pg.cluster.e2e.median / c).toFixed(2)} |`,
      )
    }
  } else lines.push('', `7. PostgreSQL ingest: ${pg?.note ?? 'not available'}.`)
  lines.push('', '| target | measured | |', '|---|---:|---|')
  for (const t of targets(r)) lines.push(`| ${t.name} | ${t.shown} | ${mark(t.ok)} |`)
  return lines.join('\n')
}

const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;')

/** A horizontal bar chart of the four throughput figures (median, with min–max whiskers). */
export function svg(r) {
  const bars = [
    ['ceiling (node:http + HMAC + parse)', r.throughput.ceiling, '#8c8c8c'],
    ['probot-style (Express + @octokit/webhooks)', r.throughput.probot, '#d08770'],
    ['hookcat async ingest (acks, stored)', r.throughput.ingest, '#5e81ac'],
    ['hookcat end-to-end (messages arrived)', r.throughput.e2e, '#a3be8c'],
  ]
  const max = Math.max(...bars.map(([, s]) => s.max)) * 1.1
  const W = 760
  const left = 300
  const plot = W - left - 90
  const rowH = 34
  const top = 40
  const H = top + bars.length * rowH + 50
  const x = (v) => left + (v / max) * plot
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="13">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">Webhooks per second, ${esc(r.date)} (median of ${r.settings.rounds}, min–max)</text>`,
  ]
  const c = r.throughput.ceiling.median
  for (const [ratio, label] of [[0.4, '0.4×'], [0.8, '0.8×'], [1, 'ceiling']]) {
    const gx = x(c * ratio)
    parts.push(`<line x1="${gx}" y1="${top - 6}" x2="${gx}" y2="${top + bars.length * rowH}" stroke="#bbb" stroke-dasharray="4 3"/>`)
    parts.push(`<text x="${gx}" y="${top + bars.length * rowH + 16}" text-anchor="middle" fill="#777" font-size="11">${label}</text>`)
  }
  bars.forEach(([label, s, color], i) => {
    const y = top + i * rowH
    parts.push(`<text x="${left - 8}" y="${y + 19}" text-anchor="end">${esc(label)}</text>`)
    parts.push(`<rect x="${left}" y="${y + 5}" width="${Math.max(0, x(s.median) - left)}" height="${rowH - 12}" fill="${color}"/>`)
    parts.push(`<line x1="${x(s.min)}" y1="${y + 17}" x2="${x(s.max)}" y2="${y + 17}" stroke="#222"/>`)
    parts.push(`<line x1="${x(s.min)}" y1="${y + 11}" x2="${x(s.min)}" y2="${y + 23}" stroke="#222"/><line x1="${x(s.max)}" y1="${y + 11}" x2="${x(s.max)}" y2="${y + 23}" stroke="#222"/>`)
    parts.push(`<text x="${x(s.max) + 6}" y="${y + 21}">${fmt(s.median)} (${(s.median / c).toFixed(2)}×)</text>`)
  })
  parts.push(`<text x="${left}" y="${H - 8}" fill="#555" font-size="11">server pinned to core 0, load generator to core 1, ${r.settings.connections} connections, ${fmt(r.settings.bodyBytes)} B signed GitHub push</text>`)
  parts.push('</svg>')
  return parts.join('\n')
}

const START = '<!-- bench:latest:start -->'
const END = '<!-- bench:latest:end -->'

/** Replaces the generated block of docs/performance.md with the latest table and chart. */
export function updateDoc(file, table, chartPath, jsonPath) {
  const doc = readFileSync(file, 'utf8')
  const a = doc.indexOf(START)
  const b = doc.indexOf(END)
  if (a < 0 || b < a) throw new Error(`${file} has no ${START} … ${END} block`)
  const block = `${START}\n<!-- generated by npm run bench; edits here are overwritten -->\n\n![throughput chart](${chartPath})\n\n${table}\n\nRaw numbers: [${jsonPath.split('/').pop()}](${jsonPath}).\n\n${END}`
  writeFileSync(file, doc.slice(0, a) + block + doc.slice(b + END.length))
}
