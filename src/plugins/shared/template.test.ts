// Message templates through the real server: per plugin and per route, wrapping the default, skipping, sandboxed; mistakes name their path.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { createTestHost } from '../../testing/index.js'
import { waitFor } from '../../testing/helpers.js'
import { runInProject } from '../../cli/test-fixtures/cli-process.js'

const sample = (plugin: string, name: string) => JSON.parse(readFileSync(new URL(`../../../test/fixtures/senders/${plugin}/${name}.json`, import.meta.url), 'utf8'))
const SECRET = 'template-test-secret'

test('github: a route template wraps the default, the plugin template serves the other chats, an empty render skips the event', async () => {
  const t = await createTestHost({
    builtins: true,
    config: {
      plugins: {
        github: {
          enabled: true,
          config: {
            webhookSecret: SECRET,
            locale: 'en',
            // Only failed runs: the template renders nothing for the rest, so they are not sent.
            template: { title: '{% if event == "workflow_run" %}{{ default.title }} ({{ branch }}){% endif %}', text: '{% if event == "workflow_run" %}{{ payload.workflow_run.name }} by {{ actor }}{% endif %}' },
            routes: [
              { repository: 'Codertocat/Hello-World', chats: ['test-a'], template: { title: '[{{ event }}] {{ default.title }}', fields: 'Forced: {{ payload.forced | upcase }}\n{% for f in default.fields %}{{ f.name }}: {{ f.value }}\n{% endfor %}', link: '' } },
              { organization: 'octo-org', chats: ['test-b'] },
              { organization: 'Codertocat', chats: ['test-c'] },
            ],
          },
        },
      },
    },
  })
  try {
    const push = sample('github', 'push.forced')
    const pushed = await t.send.github('github', '/github', 'push', push, { secret: SECRET })
    assert.equal(pushed.status, 202)
    const pushDone = await t.settled(pushed.json().id)
    assert.deepEqual(JSON.parse(String(pushDone.responseBody ?? '{}')), { status: 'sent', event: 'push', chats: 1 })
    const a = await waitFor(() => t.sent.all().find((m) => m.chatKey === 'test-a'), 'route 0 got the push')
    assert.match(a.message.title!, /^\[push\] /)
    assert.equal(a.message.link, undefined, 'link: "" removes the link')
    assert.deepEqual(a.message.fields![0], { name: 'Forced', value: 'TRUE', inline: true })
    // The built-in rest stays: the body text is the default one.
    assert.notEqual(a.message.text, undefined)

    const run = sample('github', 'workflow_run.failure')
    const r = await t.send.github('github', '/github', 'workflow_run', run, { secret: SECRET })
    const done = await t.settled(r.json().id)
    assert.equal(done.status, 'done')
    await waitFor(() => t.sent.all().filter((m) => m.chatKey === 'test-b').length === 1, 'route 1 got the failed run only')
    const b = t.sent.all().find((m) => m.chatKey === 'test-b')!
    assert.match(b.message.title!, /\(.+\)$/)
    assert.match(b.message.text, / by /)
    // The push reached test-c's route through the plugin template, which renders nothing for pushes: skipped, not sent.
    assert.equal(t.sent.all().filter((m) => m.chatKey === 'test-c').length, 0)
  } finally {
    await t.close()
  }
})

test('alert and monitor templates see the labels and the default; output is text, and a template cannot reach prototypes', async () => {
  const t = await createTestHost({
    builtins: true,
    config: {
      plugins: {
        alertmanager: { enabled: true, config: { bearerToken: 'am-token', alertChat: 'test-ops', template: { title: '{{ labels.alertname }} on {{ labels.job }}: {{ firing }} firing', text: '*{{ default.title }}*{{ payload.constructor }}{{ payload.__proto__ }}', level: '{% if labels.severity == "critical" %}critical{% else %}info{% endif %}' } } },
        monitor: { enabled: true, config: { apiToken: 'monitor-token-1', alertChat: 'test-mon', template: '{{ service }} is {{ level }}: {{ message }} at {{ time }}' } },
      },
    },
  })
  try {
    const r = await t.send.bearer('alertmanager', '/alertmanager', sample('alertmanager', 'firing'), { token: 'am-token' })
    assert.equal(r.status, 200, r.text)
    const m = await waitFor(() => t.sent.all().find((x) => x.chatKey === 'test-ops'), 'the alert')
    assert.equal(m.message.title, 'InstanceDown on node: 2 firing')
    assert.equal(m.message.level, 'critical')
    assert.match(m.message.text, /^\*.+\*$/, 'nothing of the prototype is rendered')
    const mon = await t.send.bearer('monitor', '/monitor/alert', { service: 'api', level: 'warning', message: 'slow', timestamp: 1_767_225_600 }, { token: 'monitor-token-1' })
    assert.equal(mon.status, 200, mon.text)
    const n = await waitFor(() => t.sent.all().find((x) => x.chatKey === 'test-mon'), 'the monitor alert')
    assert.equal(n.message.text, 'api is warning: slow at 2026-01-01 00:00:00')
  } finally {
    await t.close()
  }
})

test('a template that fails on an event at run time (a render limit) sends the built-in message and logs why: nothing is lost', async () => {
  const t = await createTestHost({
    builtins: true,
    config: { plugins: { monitor: { enabled: true, config: { apiToken: 'monitor-token-1', alertChat: 'test-mon', locale: 'en', template: '{% for i in (1..50000000) %}{{ i }}{% endfor %}' } } } },
  })
  try {
    const r = await t.send.bearer('monitor', '/monitor/alert', { service: 'api', level: 'critical', message: 'down' }, { token: 'monitor-token-1' })
    assert.equal(r.status, 200, r.text)
    const m = await waitFor(() => t.sent.all()[0], 'the alert')
    assert.equal(m.message.text, 'down', 'the built-in body')
    assert.ok(t.logs.some((l) => /template failed on this event/.test(String(l.msg))))
  } finally {
    await t.close()
  }
})

test('a template mistake stops start-up naming its config path, and hookcat render exits with the config error', async () => {
  // Nothing starts with a broken format: the sender is never answered by a plugin that would post garbage.
  await assert.rejects(
    createTestHost({
      builtins: true,
      config: {
        plugins: {
          github: { enabled: true, config: { webhookSecret: SECRET, routes: [{ repository: 'a/b', chats: ['test-a'], template: { title: '{{ reviewers }}' } }] } },
          gitlab: { enabled: true, config: { template: '{% for x in payload.commits %}' } },
          grafana: { enabled: true, config: { public: true, template: { text: '{{ default.body }}' } } },
        },
      },
    }),
    (error: Error) => {
      assert.match(error.message, /plugins\.github\.config\.routes\[0\]\.template\.title: unknown variable "reviewers"/)
      assert.match(error.message, /plugins\.gitlab\.config\.template: the template does not parse/)
      assert.match(error.message, /plugins\.grafana\.config\.template\.text: unknown variable "default\.body"/)
      return true
    },
  )
  const yaml = 'plugins:\n  github:\n    config:\n      routes:\n        - repository: a/b\n          chats: [console-x]\n          template:\n            title: "{{ nope }}"\n'
  const cli = await runInProject(yaml, ['render', 'github', '--event', 'push'])
  assert.equal(cli.code, 2, cli.stderr)
  assert.match(cli.stderr, /plugins\.github\.config\.routes(\[0\]|\.0)\.template\.title: unknown variable "nope"/)
  const serve = await runInProject(yaml, ['serve', '--port', '0'])
  assert.equal(serve.code, 2, serve.stderr)
  assert.match(serve.stderr, /plugins\.github\.config\.routes\[0\]\.template\.title: unknown variable "nope"/)
})
