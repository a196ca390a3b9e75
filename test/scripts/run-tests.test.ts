// `npm test` (scripts/run-tests.mjs) runs the tests of a project's own plugins in plugins/, beside src/ and test/.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

const REPO = fileURLToPath(new URL('../../', import.meta.url))

test('scripts/run-tests.mjs finds and runs plugins/**/*.test.ts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookcat-runtests-'))
  try {
    symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir')
    mkdirSync(join(dir, 'plugins', 'greeter'), { recursive: true })
    writeFileSync(
      join(dir, 'plugins', 'greeter', 'greeter.test.ts'),
      "import { test } from 'node:test'\nconst name: string = 'plugin test ran'\ntest(name, () => {})\n",
    )
    // The outer runner's context would make the inner one report to it instead of printing.
    const env = { ...process.env }
    delete env.NODE_TEST_CONTEXT
    const run = spawnSync(process.execPath, [join(REPO, 'scripts/run-tests.mjs')], { cwd: dir, encoding: 'utf8', timeout: 120_000, env })
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`)
    assert.match(run.stdout, /ok 1 - plugin test ran/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
