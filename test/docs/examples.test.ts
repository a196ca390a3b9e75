// The examples use only the public API: imports are 'hookcat', 'hookcat/testing', node's own modules and their own files.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const ALLOWED = /^(hookcat|hookcat\/testing|node:[a-z_/]+|\.\/[\w./-]+)$/

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name)
    return statSync(full).isDirectory() ? files(full) : /\.(ts|mts)$/.test(name) ? [full] : []
  })
}

test('examples import nothing but the public API', () => {
  const found = files(join(root, 'examples'))
  assert.ok(found.length >= 2, 'the examples are missing')
  for (const file of found) {
    const specifiers = [...readFileSync(file, 'utf8').matchAll(/\bfrom\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]/g)].map((m) => m[1] ?? m[2])
    for (const specifier of specifiers) assert.match(specifier, ALLOWED, `${relative(root, file)} imports "${specifier}"`)
  }
})
