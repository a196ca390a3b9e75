// The CLI with a bad or missing config: exit code 2, the field named, no stack trace.
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import { assertNoStack, runCli, runInProject, tempProject } from './test-fixtures/cli-process.js'

describe('hookcat CLI: config errors', { concurrency: true }, () => {
  test('an invalid config stops serve with exit code 2 and names the field', async () => {
    const r = await runInProject('server:\n  port: "eighty"\n', ['serve'])
    assert.equal(r.code, 2)
    assert.match(r.stderr, /server\.port: .*number/)
    assertNoStack(r.stderr)
  })

  test('an unknown key is named too, and --config FILE is read', async () => {
    const project = tempProject()
    try {
      writeFileSync(`${project.dir}/other.yaml`, 'storge: sqlite:./x.db\n')
      const r = await runCli(['--config', 'other.yaml', 'plugins'], { cwd: project.dir })
      assert.equal(r.code, 2)
      assert.match(r.stderr, /other\.yaml/)
      assert.match(r.stderr, /storge/)
      assertNoStack(r.stderr)
    } finally {
      project.cleanup()
    }
  })

  test('a missing --config file (or HOOKCAT_CONFIG) is a clear error', async () => {
    const r = await runInProject(undefined, ['plugins'], { HOOKCAT_CONFIG: 'nope.yaml' })
    assert.equal(r.code, 2)
    assert.match(r.stderr, /^hookcat: Config file .*nope\.yaml does not exist/)
  })

  test('serve with a chat_key naming no adapter, a bad channel or a misspelt plugin key does not start and names each path', async () => {
    const yaml = [
      'server:',
      '  host: 127.0.0.1',
      '  port: 0',
      'adapters:',
      '  qq: { type: onebot_v11, url: "http://127.0.0.1:9" }',
      'plugins:',
      '  github:',
      '    config:',
      '      notificationChats: qq-group_123456',
      '      routes:',
      '        - { repository: a/b, chats: [console-x, nowhere-x] }',
      '  grafana:',
      '    config: { alertChat: qq-group_abc }',
      '',
    ].join('\n')
    const r = await runInProject(yaml, ['serve'])
    assert.equal(r.code, 2, r.stdout + r.stderr)
    assert.match(r.stderr, /plugins\.github\.config\.notificationChats: unknown key/)
    assert.match(r.stderr, /plugins\.github\.config\.routes\[0\]\.chats\[1\]: chat_key "nowhere-x" names adapter "nowhere", which is not configured/)
    assert.match(r.stderr, /plugins\.grafana\.config\.alertChat: chat_key "qq-group_abc": a OneBot channel is/)
    assert.doesNotMatch(r.stdout, /listening on/)
    assertNoStack(r.stderr)
  })
})
