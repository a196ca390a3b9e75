// deploy/Dockerfile builds and runs: its steps are replayed on a temporary copy that holds exactly what it COPYs (no
// Docker daemon is needed), then the image's ENTRYPOINT serves a .ts plugin and its HEALTHCHECK passes.
// Deviations, all for the lack of network: apt-get is not run, `npm ci` reads npm's cache (--offline), and the native
// SQLite addon is taken from this checkout's node_modules instead of being compiled again.
import assert from 'node:assert/strict'
import { execSync, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { after, test } from 'node:test'
import { REPO, freePort, startServe } from '../../src/cli/test-fixtures/cli-process.js'
import { copyArgs, parseDockerfile, type Stage } from './dockerfile.js'

const root = mkdtempSync(join(tmpdir(), 'hookcat-docker-'))
after(() => rmSync(root, { recursive: true, force: true }))

/** A stage's /app as a folder: COPY from the context (the repository) or from an earlier stage's folder, RUN there. */
function replay(stage: Stage, dir: string, stages: Map<string, string>): { env: Record<string, string>; user?: string; volumes: string[]; healthcheck?: string; entrypoint?: string[]; cmd?: string[] } {
  mkdirSync(dir, { recursive: true })
  const out: ReturnType<typeof replay> = { env: {}, volumes: [] }
  const inApp = (path: string) => resolve(dir, path.replace(/^\/app\/?/, './'))
  for (const { op, args } of stage.steps) {
    if (op === 'WORKDIR') assert.equal(args, '/app', 'the replay maps /app to a folder')
    else if (op === 'COPY') {
      const { from, sources, dest } = copyArgs(args)
      for (const source of sources) {
        const origin = from ? join(stages.get(from)!, source.replace(/^\/app\/?/, '')) : join(REPO, source)
        assert.ok(existsSync(origin), `COPY source ${source} exists`)
        const target = dest.endsWith('/') ? join(inApp(dest), source.split('/').pop()!) : inApp(dest)
        cpSync(origin, target, { recursive: true, verbatimSymlinks: true })
      }
    } else if (op === 'RUN') {
      for (const command of args.split(/\s*&&\s*/)) runStep(command, dir)
    } else if (op === 'ENV') {
      const [key, value] = args.split('=')
      out.env[key] = value
    } else if (op === 'USER') out.user = args
    else if (op === 'VOLUME') out.volumes.push(...(JSON.parse(args) as string[]))
    else if (op === 'HEALTHCHECK') out.healthcheck = args.replace(/^.*?\bCMD\s+/, '')
    else if (op === 'ENTRYPOINT') out.entrypoint = JSON.parse(args) as string[]
    else if (op === 'CMD') out.cmd = JSON.parse(args) as string[]
  }
  return out
}

function runStep(command: string, dir: string): void {
  if (/^(apt-get|rm -rf \/var\/lib\/apt)/.test(command)) return // system packages: not installed here
  if (/^chown /.test(command)) return // no "node" user here; USER is checked below
  let line = command.replaceAll('/app', dir)
  if (/^npm ci\b/.test(line)) line += ' --offline'
  if (/^npm rebuild\b/.test(line)) {
    cpSync(join(REPO, 'node_modules/better-sqlite3/build'), join(dir, 'node_modules/better-sqlite3/build'), { recursive: true })
    line = line.replace(/\s*\bbetter-sqlite3\b/, '')
  }
  const run = spawnSync('sh', ['-c', line], { cwd: dir, encoding: 'utf8', timeout: 240_000, env: { ...process.env, NODE_OPTIONS: '', npm_config_update_notifier: 'false' } })
  assert.equal(run.status, 0, `RUN ${command} failed:\n${run.stdout}\n${run.stderr}`)
}

test('deploy/Dockerfile: the build stage builds from exactly what it copies; the image runs as non-root with a data volume, serves a .ts plugin and passes its HEALTHCHECK', async () => {
  const stages = parseDockerfile(join(REPO, 'deploy/Dockerfile'))
  assert.equal(stages.length, 2)
  const built = new Map<string, string>()
  const buildDir = join(root, 'build')
  replay(stages[0], buildDir, built)
  built.set(stages[0].name!, buildDir)
  assert.ok(existsSync(join(buildDir, 'dist/cli/main.js')), 'the build produced dist/')
  assert.ok(existsSync(join(buildDir, 'dist/admin/ui/index.html')), 'the web UI assets were copied')
  assert.ok(!existsSync(join(buildDir, 'node_modules/typescript')), 'dev dependencies were pruned')

  const appDir = join(root, 'image')
  const image = replay(stages[1], appDir, built)
  assert.ok(image.user && image.user !== 'root' && image.user !== '0', `runs as a non-root user (${image.user})`)
  assert.deepEqual(image.volumes, ['/app/data'])
  assert.ok(image.healthcheck, 'has a HEALTHCHECK')
  assert.ok(existsSync(join(appDir, 'test/fixtures/senders/github/push.json')), 'simulate finds its samples')

  // As a user runs it: a config and a TypeScript plugin mounted, then the image's ENTRYPOINT and CMD.
  const port = await freePort()
  writeFileSync(join(appDir, 'hookcat.yaml'), `server:\n  host: 127.0.0.1\n  port: ${port}\n`)
  writeFileSync(
    join(appDir, 'plugins/hello.ts'),
    "import { definePlugin } from 'hookcat'\nconst word: string = 'meow'\nexport default definePlugin({ name: 'hello', version: '1.0.0', setup(p) { p.mountWebhook('/hi', () => ({ word }), { public: true, methods: ['GET'] }) } })\n",
  )
  const [program, ...args] = [...image.entrypoint!, ...image.cmd!]
  assert.equal(program, 'node')
  const server = await startServe({ cwd: appDir, node: args.map((a) => (a.startsWith('dist/') ? join(appDir, a) : a)), env: { ...image.env, NODE_OPTIONS: '' } })
  try {
    assert.deepEqual(await (await fetch(`${server.url}/api/plugin/hello/webhook/hi`)).json(), { word: 'meow' })
    execSync(image.healthcheck!.replace('8021', String(port)), { cwd: appDir, stdio: 'pipe', timeout: 10_000 })
  } finally {
    await server.stop()
  }
})
