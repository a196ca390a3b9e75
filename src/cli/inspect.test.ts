// `hookcat plugins` and `hookcat migrate` in a folder of their own (no server running).
import assert from 'node:assert/strict'
import { mkdirSync, writeFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import { runCli, runInProject, tempProject } from './test-fixtures/cli-process.js'

describe('hookcat plugins and migrate', { concurrency: true }, () => {
  test('plugins lists status with its URL built from server.publicUrl', async () => {
    const r = await runInProject('server:\n  publicUrl: https://hooks.example.com/\n', ['plugins'])
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /status 1\.0\.0 +loaded/)
    assert.match(r.stdout, /https:\/\/hooks\.example\.com\/api\/plugin\/status\/webhook\/status/)
  })

  test('plugins --json, and a disabled plugin is listed as disabled', async () => {
    const r = await runInProject('server:\n  publicUrl: https://hooks.example.com\nplugins:\n  status:\n    enabled: false\n', ['plugins', '--json'])
    assert.equal(r.code, 0, r.stderr)
    const body = JSON.parse(r.stdout) as { publicUrl: string; plugins: Array<{ name: string; state: string }> }
    assert.equal(body.publicUrl, 'https://hooks.example.com')
    assert.deepEqual(body.plugins.find((p) => p.name === 'status')?.state, 'disabled')
  })

  test('migrate prints each migration applied, then that there is nothing to do', async () => {
    const project = tempProject('storage: sqlite:./db/hookcat.db\n')
    try {
      const first = await runCli(['migrate'], { cwd: project.dir })
      assert.equal(first.code, 0, first.stderr)
      assert.match(first.stdout, /applied 0001_initial/)
      assert.match(first.stdout, /done: \d+ migration\(s\) applied/)
      const second = await runCli(['migrate'], { cwd: project.dir })
      assert.equal(second.code, 0, second.stderr)
      assert.match(second.stdout, /nothing to do/)
    } finally {
      project.cleanup()
    }
  })

  test('plugins names a plugin file that cannot be loaded, and the others still load', async () => {
    const project = tempProject('builtins: false\n')
    try {
      mkdirSync(`${project.dir}/plugins`)
      writeFileSync(`${project.dir}/plugins/broken.js`, 'export default {\n')
      const r = await runCli(['plugins'], { cwd: project.dir })
      assert.equal(r.code, 0, r.stderr)
      assert.match(r.stdout, /Plugins that could not be loaded:\n {2}\S*broken\.js: /)
    } finally {
      project.cleanup()
    }
  })
})
