// The packed package is complete: `npm pack`, its files installed into a fresh project, then that project's `hookcat`
// serves and `hookcat simulate … --wait` sends a bundled sample and sees it delivered.
// The tarball is unpacked into node_modules/hookcat as npm would; its dependencies are linked from this checkout
// (no registry here), so what is tested is exactly the set of files `files` in package.json ships.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, readdirSync, chmodSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { REPO, freePort, runCli, startServe } from '../../src/cli/test-fixtures/cli-process.js'

const root = mkdtempSync(join(tmpdir(), 'hookcat-pack-'))
after(() => rmSync(root, { recursive: true, force: true }))

test('npm pack ships what serve and simulate need: installed from the tarball, simulate --wait sees the sample delivered', async () => {
  const pack = spawnSync('npm', ['pack', '--pack-destination', root, '--json'], { cwd: REPO, encoding: 'utf8', timeout: 180_000 })
  assert.equal(pack.status, 0, pack.stderr)
  const [{ filename, files }] = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>
  const paths = files.map((f) => f.path)
  assert.ok(paths.includes('test/fixtures/senders/github/push.json'), 'the samples are in the package')
  assert.ok(!paths.some((p) => p.startsWith('src/') || p.endsWith('.test.js')), 'sources and tests stay out')

  const project = join(root, 'my-bot')
  const installed = join(project, 'node_modules', 'hookcat')
  mkdirSync(installed, { recursive: true })
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'my-bot', private: true, type: 'module', dependencies: { hookcat: `file:${filename}` } }))
  const untar = spawnSync('tar', ['-xzf', join(root, filename), '-C', installed, '--strip-components=1'], { encoding: 'utf8' })
  assert.equal(untar.status, 0, untar.stderr)
  symlinkSync(join(REPO, 'node_modules'), join(installed, 'node_modules'), 'dir')
  mkdirSync(join(project, 'node_modules', '.bin'))
  symlinkSync('../hookcat/dist/cli/main.js', join(project, 'node_modules', '.bin', 'hookcat'))
  chmodSync(join(installed, 'dist/cli/main.js'), 0o755)
  assert.ok(readdirSync(join(installed, 'test/fixtures/senders')).includes('github'))

  const port = await freePort()
  writeFileSync(
    join(project, 'hookcat.yaml'),
    `server:\n  host: 127.0.0.1\n  port: ${port}\nplugins:\n  github:\n    config:\n      webhookSecret: pack-test-secret\n      notificationChat: console-ops\n      locale: en\n`,
  )
  const bin = join(project, 'node_modules', '.bin', 'hookcat')
  const env = { NODE_OPTIONS: '' }
  const server = await startServe({ cwd: project, node: [bin, 'serve'], env })
  try {
    const sim = await runCli([], { cwd: project, env, node: [bin, 'simulate', 'github', '/github', '--event', 'pull_request', '--wait'] })
    assert.equal(sim.code, 0, sim.stdout + sim.stderr)
    assert.match(sim.stdout, /^delivery \S+ \(pull_request\): delivered$/m)
    assert.match(sim.stdout, /→ console-ops: delivered/)
  } finally {
    await server.stop()
  }
})
