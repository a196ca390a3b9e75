// Runs every *.test.ts under src/, examples/, test/ and plugins/ (a project's own plugins) with node's own test runner (TypeScript through tsx).
import { spawnSync } from 'node:child_process'
import { readdirSync, statSync, existsSync } from 'node:fs'
import { join } from 'node:path'

const roots = ['src', 'examples', 'test', 'plugins']
const files = []
function walk(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue
    const full = join(dir, name)
    if (statSync(full).isDirectory()) walk(full)
    else if (/\.test\.(ts|mts)$/.test(name)) files.push(full)
  }
}
for (const root of roots) if (existsSync(root)) walk(root)
const filter = process.argv.slice(2)
const selected = filter.length ? files.filter((f) => filter.some((p) => f.includes(p))) : files
if (selected.length === 0) {
  console.error('no test files matched')
  process.exit(1)
}
const concurrency = process.env.HOOKCAT_TEST_CONCURRENCY ?? '3'
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--conditions=hookcat-src', '--test', `--test-concurrency=${concurrency}`, '--test-timeout=300000', ...selected.sort()],
  { stdio: 'inherit', env: { ...process.env, HOOKCAT_LOG_LEVEL: process.env.HOOKCAT_LOG_LEVEL ?? 'silent' } },
)
process.exit(result.status ?? 1)
