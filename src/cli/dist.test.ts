// `npm start`'s exact entry, `node dist/cli/main.js serve`, after `npm run build`: it starts, shows its URLs, answers and stops.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { test } from 'node:test'
import { REPO, startServe, tempProject } from './test-fixtures/cli-process.js'

test('npm run build, then node dist/cli/main.js serve works as npm start runs it', async () => {
  const build = spawnSync('npm', ['run', 'build'], { cwd: REPO, encoding: 'utf8', timeout: 100_000 })
  assert.equal(build.status, 0, `npm run build failed:\n${build.stdout}\n${build.stderr}`)
  const project = tempProject('server:\n  host: 127.0.0.1\n')
  try {
    const server = await startServe({ cwd: project.dir, node: [join(REPO, 'dist/cli/main.js'), 'serve', '--port', '0'] })
    assert.match(server.stdout(), /\/api\/plugin\/status\/webhook\/status/)
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200)
    const stopped = await server.stop()
    assert.equal(stopped.code, 0, stopped.stderr)
  } finally {
    project.cleanup()
  }
})
