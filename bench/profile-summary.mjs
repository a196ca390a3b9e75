// Prints the top self-time functions of a V8 .cpuprofile (from node --cpu-prof), for the bench's profiling notes.
import { readFileSync } from 'node:fs'

const [file, count = '30'] = process.argv.slice(2)
if (!file) {
  console.error('usage: node bench/profile-summary.mjs <file.cpuprofile> [top-n]')
  process.exit(1)
}
const profile = JSON.parse(readFileSync(file, 'utf8'))
const byId = new Map(profile.nodes.map((n) => [n.id, n]))
const self = new Map()
const dt = profile.timeDeltas
let total = 0
for (let i = 0; i < profile.samples.length; i++) {
  const node = byId.get(profile.samples[i])
  const d = dt[i] ?? 0
  total += d
  const f = node.callFrame
  const key = `${f.functionName || '(anonymous)'} ${f.url ? `${f.url.replace(/^.*\/(dist|node_modules|bench)\//, '$1/')}:${f.lineNumber + 1}` : ''}`
  self.set(key, (self.get(key) ?? 0) + d)
}
const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(count))
console.log(`total ${(total / 1000).toFixed(0)} ms sampled`)
for (const [key, us] of rows) console.log(`${((us / total) * 100).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(6)} ms  ${key}`)
