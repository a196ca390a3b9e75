// `hookcat render` as the user runs it (the built binary under plain node): the config's templates, per platform, clear errors.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { test } from 'node:test'
import { REPO, runCli, tempProject } from '../test-fixtures/cli-process.js'

const YAML = `adapters:
  qq: { type: onebot_v11, url: "http://127.0.0.1:3000" }
plugins:
  alertmanager:
    config:
      locale: en
      template:
        title: "{{ labels.alertname }} ({{ firing }})"
        text: "{% for a in alerts %}{{ a.labels.instance }}\\n{% endfor %}"
`

test('hookcat render from dist: the template per platform, as JSON or text; instance names map to their type; bad input is a clear error', async () => {
  const build = spawnSync('npm', ['run', 'build'], { cwd: REPO, encoding: 'utf8', timeout: 150_000 })
  assert.equal(build.status, 0, `npm run build failed:\n${build.stdout}\n${build.stderr}`)
  const main = join(REPO, 'dist/cli/main.js')
  const dist = (args: string[]) => runCli(args, { cwd: project.dir, node: [main, ...args] })
  const project = tempProject(YAML)
  try {
    const json = await dist(['render', 'alertmanager', '--event', 'firing', '--adapter', 'qq', 'telegram', '--json'])
    assert.equal(json.code, 0, json.stderr)
    const out = JSON.parse(json.stdout)
    assert.equal(out.template, 'template')
    assert.equal(out.message.title, 'InstanceDown (2)')
    assert.deepEqual(out.platforms.map((p: { adapter: string }) => p.adapter), ['onebot_v11', 'telegram'])
    assert.match(out.platforms[1].parts[0].text, /<b>.*InstanceDown \(2\)<\/b>\ndb-1:9100\ndb-2:9100/)

    const text = await dist(['render', 'alertmanager', '--adapter', 'console', '--locale', 'zh-CN'])
    assert.equal(text.code, 0, text.stderr)
    assert.match(text.stdout, /── console ──\n\[console-preview\] .*InstanceDown \(2\)\n {2}│ db-1:9100/)

    const builtIn = await dist(['render', 'github', '--event', 'workflow_run.failure', '--adapter', 'console'])
    assert.equal(builtIn.code, 0, builtIn.stderr)
    assert.match(builtIn.stdout, /built-in format/)

    const unknown = await dist(['render', 'github', '--event', 'nope'])
    assert.equal(unknown.code, 1)
    assert.match(unknown.stderr, /^hookcat: no bundled sample "nope" for github; samples: .*push/)
    const relay = await dist(['render', 'relay'])
    assert.equal(relay.code, 1)
    assert.match(relay.stderr, /has no message preview/)
  } finally {
    project.cleanup()
  }
})
