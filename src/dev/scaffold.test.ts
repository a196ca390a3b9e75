// `hookcat new plugin`: the generated folder, inside a project laid out like a user's, passes its own test (test/types typechecks it).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { scaffoldPlugin } from './scaffold.js'

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const cli = join(repo, 'src', 'cli', 'main.ts')

/** A user's project: its own package.json, and hookcat (this repo) and tsx installed in node_modules. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hookcat-new-'))
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'my-bot', private: true, type: 'module' }))
  mkdirSync(join(dir, 'node_modules'), { recursive: true })
  symlinkSync(repo, join(dir, 'node_modules', 'hookcat'), 'dir')
  symlinkSync(join(repo, 'node_modules', 'tsx'), join(dir, 'node_modules', 'tsx'), 'dir')
  return dir
}

test('hookcat new plugin writes a plugin whose own test passes as generated', () => {
  const dir = project()
  try {
    const made = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=hookcat-src', cli, 'new', 'plugin', 'deploy-hook'], { cwd: dir, encoding: 'utf8' })
    assert.equal(made.status, 0, made.stderr)
    assert.match(made.stdout, /Created plugins\/deploy-hook\//)
    for (const file of ['index.ts', 'deploy-hook.test.ts', 'README.md']) assert.ok(existsSync(join(dir, 'plugins', 'deploy-hook', file)), file)
    assert.match(readFileSync(join(dir, 'plugins', 'deploy-hook', 'index.ts'), 'utf8'), /secret\(z\.string\(\)\)/)

    const run = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=hookcat-src', '--test', 'plugins/deploy-hook/deploy-hook.test.ts'], {
      cwd: dir,
      encoding: 'utf8',
      // Without the parent runner's NODE_TEST_CONTEXT the child reports in plain TAP instead of to this runner.
      env: { ...process.env, NODE_TEST_CONTEXT: undefined, HOOKCAT_LOG_LEVEL: 'silent' },
    })
    assert.equal(run.status, 0, run.stdout + run.stderr)
    assert.match(run.stdout, /# pass 2/)
    assert.match(run.stdout, /# fail 0/)

    const again = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=hookcat-src', cli, 'new', 'plugin', 'deploy-hook'], { cwd: dir, encoding: 'utf8' })
    assert.equal(again.status, 1)
    assert.match(again.stderr, /already exists/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('a bad plugin name is refused before anything is written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookcat-new-'))
  try {
    assert.throws(() => scaffoldPlugin(dir, 'Bad Name'), /must be 1-64 lower-case/)
    assert.equal(existsSync(join(dir, 'plugins')), false)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
