// `hookcat dev` end to end: starts, reloads a plugin on save, reports a broken save, and stops cleanly on SIGTERM.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const plugin = (word: string, extra = '') => `import { definePlugin } from 'hookcat'
export default definePlugin({ name: 'hello', version: '1.0.0', setup(plugin) {
  plugin.mountWebhook('/hi', () => ({ word: '${word}' }), { public: true, methods: ['GET'] })
} })
${extra}`

test('hookcat dev reloads a saved plugin, keeps serving through a broken save, and exits on SIGTERM', async () => {
  const root = mkdtempSync(join(tmpdir(), 'hookcat-devcmd-'))
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'bot', private: true, type: 'module' }))
  mkdirSync(join(root, 'node_modules'))
  symlinkSync(repo, join(root, 'node_modules', 'hookcat'), 'dir')
  symlinkSync(join(repo, 'node_modules', 'tsx'), join(root, 'node_modules', 'tsx'), 'dir')
  mkdirSync(join(root, 'plugins'))
  writeFileSync(join(root, 'plugins', 'hello.ts'), plugin('one'))
  writeFileSync(join(root, 'hookcat.yaml'), 'server:\n  host: 127.0.0.1\n  port: 0\nstorage: sqlite:./data/hookcat.db\nbuiltins: false\nlog:\n  level: warn\n')
  const proc = spawn(process.execPath, ['--import', 'tsx', '--conditions=hookcat-src', join(repo, 'src', 'cli', 'main.ts'), 'dev'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  proc.stdout.on('data', (d) => (out += d))
  proc.stderr.on('data', (d) => (err += d))
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)))
  const until = async (check: () => boolean, what: string) => {
    for (let i = 0; i < 1200 && !check(); i++) await new Promise((r) => setTimeout(r, 25))
    assert.ok(check(), `timed out waiting for ${what}\nstdout: ${out}\nstderr: ${err}`)
  }
  try {
    await until(() => out.includes('Watching'), 'start-up')
    const base = /listening on (http:\/\/[^\s]+)/.exec(out)![1]
    const hi = async () => (await (await fetch(`${base}/api/plugin/hello/webhook/hi`)).json()) as { word: string }
    assert.deepEqual(await hi(), { word: 'one' })

    writeFileSync(join(root, 'plugins', 'hello.ts'), plugin('two'))
    await until(() => out.includes('reloaded plugin hello'), 'the reload')
    assert.deepEqual(await hi(), { word: 'two' })

    writeFileSync(join(root, 'plugins', 'hello.ts'), plugin('three', 'export const broken = {{'))
    await until(() => err.includes('the previous version keeps serving'), 'the failure report')
    assert.deepEqual(await hi(), { word: 'two' })
  } finally {
    proc.kill('SIGTERM')
    const code = await exited
    rmSync(root, { recursive: true, force: true })
    assert.equal(code, 0, err)
  }
})
