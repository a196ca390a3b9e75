// The CLI as an operator uses it: read-only commands work in a shell without the server's secrets (serve still fails
// closed, naming the variable), and `simulate --wait` prints the delivery's outcome and the messages it produced.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { assertNoStack, freePort, runCli, startServe, tempProject, type ServeProcess } from './test-fixtures/cli-process.js'

const SECRETS = { OP_GH_SECRET: 'op-github-secret-1', OP_AM_TOKEN: 'op-alertmanager-token', OP_TG_TOKEN: '123456:op-telegram-token' }
let project: ReturnType<typeof tempProject>
let server: ServeProcess

before(async () => {
  const port = await freePort()
  project = tempProject(
    [
      'server:',
      '  host: 127.0.0.1',
      `  port: ${port}`,
      // An adapter whose credential comes from the environment too (its probe goes nowhere but loopback).
      'adapters:',
      '  tg:',
      '    type: telegram',
      '    token: ${OP_TG_TOKEN}',
      '    apiBase: http://127.0.0.1:9',
      'plugins:',
      '  github:',
      '    config:',
      '      webhookSecret: ${OP_GH_SECRET}',
      '      notificationChat: console-ops',
      '      locale: en',
      '      filters: { excludeEvents: [issues] }',
      '  alertmanager:',
      '    config: { bearerToken: "${OP_AM_TOKEN}", alertChat: console-ops }',
      '',
    ].join('\n'),
  )
  server = await startServe({ cwd: project.dir, env: SECRETS })
})

after(async () => {
  await server?.stop()
  project?.cleanup()
})

test('serve without the secrets its config names does not start, and names the variable', async () => {
  const r = await runCli(['serve', '--port', '0'], { cwd: project.dir })
  assert.equal(r.code, 2)
  assert.match(r.stderr, /plugins\.github\.config\.webhookSecret: environment variable OP_GH_SECRET is not set/)
  assertNoStack(r.stderr)
})

test('deliveries, outbox and plugins work in a shell without the secrets', async () => {
  const sim = await runCli(['simulate', 'github', '/github', '--event', 'push'], { cwd: project.dir, env: SECRETS })
  assert.equal(sim.code, 0, sim.stderr)
  const [deliveries, outbox, plugins] = await Promise.all([
    runCli(['deliveries', '--plugin', 'github'], { cwd: project.dir }),
    runCli(['outbox', 'list'], { cwd: project.dir }),
    runCli(['plugins'], { cwd: project.dir }),
  ])
  assert.equal(deliveries.code, 0, deliveries.stderr)
  assert.match(deliveries.stdout, /github +push +POST +\/github +async/)
  assert.equal(outbox.code, 0, outbox.stderr)
  assert.equal(plugins.code, 0, plugins.stderr)
  assert.match(plugins.stdout, /github 1\.0\.0 +loaded/)
  assert.match(plugins.stdout, /Not set in this shell[\s\S]*OP_GH_SECRET[\s\S]*OP_AM_TOKEN/)
  assert.match(plugins.stdout, /Adapters left out here[\s\S]*adapters\.tg\.token/)
  for (const r of [deliveries, outbox, plugins]) assert.doesNotMatch(r.stdout + r.stderr, /op-github-secret-1|op-alertmanager-token|op-telegram-token/)
})

test('simulate --wait prints the outcome and the messages: delivered, filtered, and an alert', async () => {
  const push = await runCli(['simulate', 'github', '/github', '--event', 'push', '--wait'], { cwd: project.dir, env: SECRETS })
  assert.equal(push.code, 0, push.stdout + push.stderr)
  assert.match(push.stdout, /^202 Accepted$/m)
  assert.match(push.stdout, /^delivery \S+ \(push\): delivered$/m)
  assert.match(push.stdout, /^ {2}message \S+ → console-ops: delivered — /m)

  const issues = await runCli(['simulate', 'github', '/github', '--event', 'issues', '--wait'], { cwd: project.dir, env: SECRETS })
  assert.equal(issues.code, 0, issues.stdout + issues.stderr)
  assert.match(issues.stdout, /^delivery \S+ \(issues\): filtered — event issues is in filters\.excludeEvents$/m)
  assert.match(issues.stdout, /^ {2}no messages$/m)

  const alert = await runCli(['simulate', 'alertmanager', '/alertmanager', '--event', 'firing', '--wait'], { cwd: project.dir, env: SECRETS })
  assert.equal(alert.code, 0, alert.stdout + alert.stderr)
  assert.match(alert.stdout, /^delivery \S+ \(firing\): delivered$/m)
  assert.match(alert.stdout, /→ console-ops: delivered/)
})

test('simulate names the unset variable of the secret it needs to sign with', async () => {
  const r = await runCli(['simulate', 'github', '/github'], { cwd: project.dir })
  assert.equal(r.code, 1)
  assert.match(r.stderr, /plugins\.github\.config\.webhookSecret: environment variable OP_GH_SECRET is not set/)
  assertNoStack(r.stderr)
})
