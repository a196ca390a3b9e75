// Runs the compiler over test/types/*.test-d.ts: each `@ts-expect-error` line must be a compile error (else tsc fails).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'
import { pluginFiles } from '../../src/dev/scaffold.js'
import { snippets } from '../docs/snippets.js'

const here = dirname(fileURLToPath(import.meta.url))
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')

// What `hookcat new plugin` writes, and every TypeScript block of the guides, is compiled with the type tests
// (strict, against the public API), then removed.
const scaffolded = join(here, '.scaffolded', 'scaffolded-plugin')
const GUIDES = ['getting-started.md', 'getting-started.zh-CN.md', 'plugin-guide.md', 'plugin-guide.zh-CN.md', 'adapters.md']

function writeGuideSnippets(): number {
  let count = 0
  for (const guide of GUIDES) {
    const file = join(here, '..', '..', 'docs', guide)
    if (!existsSync(file)) continue
    for (const s of snippets(file)) {
      if (s.lang !== 'ts' || s.marker?.startsWith('skip')) continue
      const dir = join(here, '.scaffolded', 'docs', guide.replace(/\W/g, '_'), `line${s.line}`)
      mkdirSync(dir, { recursive: true })
      writeFileSync(join(dir, 'snippet.ts'), `${s.code}\nexport {}\n`)
      count++
    }
  }
  return count
}

test('type tests and a freshly scaffolded plugin compile, and every line marked as a type error is one', () => {
  mkdirSync(scaffolded, { recursive: true })
  for (const [file, text] of Object.entries(pluginFiles('scaffolded-plugin'))) if (file.endsWith('.ts')) writeFileSync(join(scaffolded, file), text)
  assert.ok(writeGuideSnippets() >= 10, 'the guides lost their code examples')
  try {
    check()
  } finally {
    rmSync(join(here, '.scaffolded'), { recursive: true, force: true })
  }
})

function check(): void {
  const files = readdirSync(here).filter((f) => f.endsWith('.test-d.ts'))
  const expected = files.reduce((n, f) => n + (readFileSync(join(here, f), 'utf8').match(/@ts-expect-error/g)?.length ?? 0), 0)
  // Wrong event names, wrong payload fields, missing config fields, wrong event data: at least one of each kind.
  assert.ok(expected >= 12, `only ${expected} expected errors`)
  const result = spawnSync(process.execPath, [tsc, '-p', join(here, 'tsconfig.json')], { encoding: 'utf8' })
  assert.equal(result.status, 0, `${result.stdout}${result.stderr}`)
}
