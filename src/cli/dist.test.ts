// `npm start`'s exact entry, `node dist/cli/main.js serve`, after `npm run build`: it starts, shows its URLs, answers
// and stops; and a TypeScript plugin in plugins/ loads under plain node (no loader flags), in `serve` and in `dev`.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { before, test } from 'node:test'
import { REPO, startServe, tempProject } from './test-fixtures/cli-process.js'

const MAIN = join(REPO, 'dist/cli/main.js')
// No loader of the test runner may reach the child: it runs as `npm start` does.
const PLAIN_ENV = { NODE_OPTIONS: '' }

before(() => {
  const build = spawnSync('npm', ['run', 'build'], { cwd: REPO, encoding: 'utf8', timeout: 100_000 })
  assert.equal(build.status, 0, `npm run build failed:\n${build.stdout}\n${build.stderr}`)
})

test('npm run build, then node dist/cli/main.js serve works as npm start runs it', async () => {
  const project = tempProject('server:\n  host: 127.0.0.1\n')
  try {
    const server = await startServe({ cwd: project.dir, node: [MAIN, 'serve', '--port', '0'], env: PLAIN_ENV })
    assert.match(server.stdout(), /\/api\/plugin\/status\/webhook\/status/)
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200)
    const stopped = await server.stop()
    assert.equal(stopped.code, 0, stopped.stderr)
  } finally {
    project.cleanup()
  }
})

/** A project as a user has it: hookcat installed, a .ts plugin (typed, importing a .ts helper) in plugins/. */
function typescriptProject(packageJson: Record<string, unknown> | undefined) {
  const project = tempProject('server:\n  host: 127.0.0.1\nbuiltins: false\n')
  if (packageJson) writeFileSync(join(project.dir, 'package.json'), JSON.stringify(packageJson))
  mkdirSync(join(project.dir, 'node_modules'))
  symlinkSync(REPO, join(project.dir, 'node_modules', 'hookcat'), 'dir')
  mkdirSync(join(project.dir, 'plugins', 'greeter'), { recursive: true })
  writeFileSync(join(project.dir, 'plugins', 'greeter', 'words.ts'), 'export const greet = (name: string): string => `hello ${name}`\n')
  writeFileSync(
    join(project.dir, 'plugins', 'greeter', 'index.ts'),
    `import { definePlugin } from 'hookcat'
import { greet } from './words.js'
interface Body { name: string }
export default definePlugin({
  name: 'greeter',
  version: '1.0.0',
  setup(plugin) {
    plugin.mountWebhook('/hi', async (req) => ({ text: greet(((await req.json()) as Body).name) }), { public: true })
  },
})
`,
  )
  return project
}

async function askGreeter(url: string): Promise<unknown> {
  const res = await fetch(`${url}/api/plugin/greeter/webhook/hi`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"cat"}' })
  assert.equal(res.status, 200)
  return res.json()
}

for (const [kind, pkg] of [
  ['an ESM project ("type": "module")', { name: 'bot', private: true, type: 'module' }],
  ['a project without package.json', undefined],
] as const) {
  test(`a .ts plugin in plugins/ answers under node dist/cli/main.js serve, without loader flags, in ${kind}`, async () => {
    const project = typescriptProject(pkg)
    try {
      const server = await startServe({ cwd: project.dir, node: [MAIN, 'serve', '--port', '0'], env: PLAIN_ENV })
      try {
        assert.match(server.stdout(), /greeter 1\.0\.0\s+loaded/)
        assert.deepEqual(await askGreeter(server.url), { text: 'hello cat' })
      } finally {
        const stopped = await server.stop()
        assert.equal(stopped.code, 0, stopped.stderr)
      }
    } finally {
      project.cleanup()
    }
  })
}

test('a .ts plugin in plugins/ answers under node dist/cli/main.js dev', async () => {
  const project = typescriptProject({ name: 'bot', private: true, type: 'module' })
  try {
    const server = await startServe({ cwd: project.dir, node: [MAIN, 'dev', '--port', '0'], env: PLAIN_ENV })
    try {
      assert.deepEqual(await askGreeter(server.url), { text: 'hello cat' })
    } finally {
      await server.stop()
    }
  } finally {
    project.cleanup()
  }
})
