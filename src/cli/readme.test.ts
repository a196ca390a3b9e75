// README.md matches the code: its YAML snippets are valid configs and its plugin sketch loads as a plugin through the CLI.
import assert from 'node:assert/strict'
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { parse as parseYaml } from 'yaml'
import { parseConfig } from '../config/load.js'
import { REPO, runCli, tempProject } from './test-fixtures/cli-process.js'

const README = readFileSync(join(REPO, 'README.md'), 'utf8')
/** The fenced blocks of one language; those inside list items lose the item's three-space indent. */
const blocks = (lang: string) =>
  [...README.matchAll(new RegExp('^( *)```' + lang + '\\n([\\s\\S]*?)```', 'gm'))].map((m) => m[2].replace(new RegExp(`^${m[1]}`, 'gm'), ''))

test('the quick start is exactly the two commands', () => {
  const commands = blocks('sh').map((b) => b.trim())
  assert.ok(commands.includes('npm install && npm start'))
  assert.ok(commands.includes('npm install && npm test'))
})

test("README's hookcat.yaml snippets are valid configs", () => {
  const yamls = blocks('yaml')
  assert.ok(yamls.length >= 2)
  for (const text of yamls) parseConfig(parseYaml(text), { env: { GITHUB_WEBHOOK_SECRET: 'secret', ONEBOT_ACCESS_TOKEN: 'token' } })
})

test("README's plugin sketch loads from plugins/ and gets its webhook URL", async () => {
  const [source] = blocks('ts')
  const name = /^\/\/ plugins\/(\S+)$/m.exec(source)?.[1]
  assert.ok(name, 'the sketch names its file')
  const project = tempProject('server:\n  publicUrl: https://hooks.example.com\nbuiltins: false\nplugins:\n  deploy-notifier:\n    config:\n      signingSecret: s3cret\n      chat: console-deploys\n')
  try {
    // `import … from 'hookcat'` resolves to this checkout, as it would to an installed hookcat.
    mkdirSync(join(project.dir, 'node_modules'))
    symlinkSync(REPO, join(project.dir, 'node_modules', 'hookcat'), 'dir')
    mkdirSync(join(project.dir, 'plugins'))
    writeFileSync(join(project.dir, 'plugins', name), source)
    const r = await runCli(['plugins', '--json'], { cwd: project.dir })
    assert.equal(r.code, 0, r.stderr)
    const listed = JSON.parse(r.stdout) as { plugins: Array<{ name: string; state: string; error?: string; webhooks: Array<{ url: string }> }>; loadProblems: unknown[] }
    assert.deepEqual(listed.loadProblems, [])
    const plugin = listed.plugins.find((p) => p.name === 'deploy-notifier')
    assert.equal(plugin?.state, 'loaded', plugin?.error)
    assert.deepEqual(plugin.webhooks.map((w) => w.url), ['https://hooks.example.com/api/plugin/deploy-notifier/webhook/deploy'])
  } finally {
    project.cleanup()
  }
})
