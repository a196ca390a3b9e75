// `hookcat config show|revert`, and overridden fields in the banner and `hookcat plugins`, against a real `hookcat serve`.
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { assertNoStack, freePort, runCli, startServe, tempProject, type ServeProcess } from './test-fixtures/cli-process.js'

const TOKEN = 'upload-token-from-ENV-4242'
const env = { UPLOAD_TOKEN: TOKEN }
let project: ReturnType<typeof tempProject>
let server: ServeProcess

before(async () => {
  const port = await freePort()
  project = tempProject(`server:\n  host: 127.0.0.1\n  port: ${port}\nplugins:\n  upload:\n    config:\n      token: \${UPLOAD_TOKEN}\n      maxBytes: 1000\n`)
  server = await startServe({ cwd: project.dir, env })
})

after(async () => {
  if (server.child.exitCode === null) server.child.kill('SIGKILL')
  project.cleanup()
})

/** Every file hookcat wrote (database, WAL, data folder), as text. */
function written(dir: string): string {
  const out: string[] = []
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name)
      if (statSync(full).isDirectory()) walk(full)
      else if (name !== 'hookcat.yaml') out.push(readFileSync(full).toString('latin1'))
    }
  }
  walk(dir)
  return out.join('\n')
}

test('a field changed in the admin API is shown by config show, plugins and the banner, and config revert removes it', async () => {
  const admin = readFileSync(join(project.dir, 'data/admin-token'), 'utf8').trim()
  const put = await fetch(`${server.url}/api/admin/plugins/upload/config`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({ config: { maxBytes: 2000, token: { secret: true, set: true } } }),
  })
  assert.equal(put.status, 200, await put.text())

  const show = await runCli(['config', 'show', 'upload'], { cwd: project.dir, env })
  assert.equal(show.code, 0, show.stderr)
  assert.match(show.stdout, /upload: 1 field\(s\) overridden in the admin UI/)
  assert.match(show.stdout, /\* maxBytes = 2000 {3}\(hookcat\.yaml: 1000\)/)
  assert.match(show.stdout, / {3}token = \(secret, set\)/)

  const plugins = await runCli(['plugins'], { cwd: project.dir, env })
  assert.equal(plugins.code, 0, plugins.stderr)
  assert.match(plugins.stdout, /upload .*\n {6}config overridden in the admin UI: maxBytes \(undo: hookcat config revert upload\)/)

  // The banner of the next start says the same.
  await server.stop()
  server = await startServe({ cwd: project.dir, env })
  assert.match(server.stdout(), /config overridden in the admin UI: maxBytes/)

  const wrong = await runCli(['config', 'revert', 'upload', 'token'], { cwd: project.dir, env })
  assert.notEqual(wrong.code, 0)
  assert.match(wrong.stderr, /token/)
  assertNoStack(wrong.stderr)

  const revert = await runCli(['config', 'revert', 'upload', 'maxBytes'], { cwd: project.dir, env })
  assert.equal(revert.code, 0, revert.stderr)
  assert.match(revert.stdout, /upload: reverted maxBytes; hookcat\.yaml applies/)
  const again = await runCli(['config', 'show', 'upload', '--json'], { cwd: project.dir, env })
  assert.deepEqual(JSON.parse(again.stdout).overridden, [])
  assert.equal(JSON.parse(again.stdout).config.maxBytes, 1000)

  for (const text of [show.stdout, plugins.stdout, server.stdout(), server.stderr(), written(project.dir)]) assert.ok(!text.includes(TOKEN), 'the environment secret was printed or stored')
})
