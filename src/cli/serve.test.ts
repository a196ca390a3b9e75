// `hookcat serve` as a real process: banner with webhook URLs, /healthz, deliveries after a webhook, send, clean SIGTERM.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, test } from 'node:test'
import { freePort, runCli, startServe, tempProject, type ServeProcess } from './test-fixtures/cli-process.js'

let project: ReturnType<typeof tempProject>
let server: ServeProcess
let port: number

before(async () => {
  port = await freePort()
  project = tempProject(`server:\n  host: 127.0.0.1\n  port: ${port}\n`)
  server = await startServe({ cwd: project.dir })
})

after(async () => {
  if (server.child.exitCode === null) server.child.kill('SIGKILL')
  project.cleanup()
})

test('the banner shows the listening address, the admin-token source (not the token) and every webhook URL', async () => {
  const out = server.stdout()
  assert.equal(server.url, `http://127.0.0.1:${port}`)
  assert.match(out, new RegExp(`GET,POST +http://127\\.0\\.0\\.1:${port}/api/plugin/status/webhook/status`))
  assert.match(out, /admin token: +generated and stored in .*admin-token — read it with: cat .*admin-token/)
  assert.match(out, new RegExp(`web UI: +http://127\\.0\\.0\\.1:${port}/`))
  const token = readFileSync(`${project.dir}/data/admin-token`, 'utf8').trim()
  assert.ok(!out.includes(token) && !server.stderr().includes(token), 'the admin token is never printed')
})

test('/healthz answers', async () => {
  const res = await fetch(`${server.url}/healthz`)
  assert.equal(res.status, 200)
  assert.equal(((await res.json()) as { status: string }).status, 'ok')
})

test('hookcat deliveries lists a delivery after a webhook', async () => {
  const res = await fetch(`${server.url}/api/plugin/status/webhook/status`)
  assert.equal(res.status, 200)
  const [table, json] = await Promise.all([
    runCli(['deliveries'], { cwd: project.dir }),
    runCli(['deliveries', '--plugin', 'status', '--json'], { cwd: project.dir }),
  ])
  assert.equal(table.code, 0, table.stderr)
  assert.match(table.stdout, /^ID +RECEIVED +PLUGIN +EVENT +METHOD +PATH +MODE +STATUS +OUTCOME +HTTP/m)
  // The status plugin answers without sending a message: the delivery is shown as ignored, saying so.
  assert.match(table.stdout, /status +- +GET +\/status +sync +done +ignored +200 +\d+ms +the handler sent no message/)
  assert.equal(json.code, 0, json.stderr)
  const rows = JSON.parse(json.stdout) as Array<{ plugin: string; method: string; responseStatus: number }>
  assert.ok(rows.some((r) => r.plugin === 'status' && r.method === 'GET' && r.responseStatus === 200))
})

test('hookcat send console-x prints the message on the server', async () => {
  const sent = await runCli(['send', 'console-x', 'hello from the cli test'], { cwd: project.dir })
  assert.equal(sent.code, 0, sent.stderr)
  assert.match(sent.stdout, /queued message \S+ for console-x/)
  await server.waitFor('[console-x] hello from the cli test', 30_000)
})

test('SIGTERM stops the server cleanly with exit code 0', async () => {
  const result = await server.stop()
  assert.equal(result.code, 0, result.stderr)
  assert.match(result.stdout, /"msg":"stopped"/)
  assert.equal(result.stderr, '')
})
