// GitLab, Gitea, Alertmanager, Grafana, monitor and relay through a real host: auth, fixtures, dedup, 400s naming fields, template limits.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { createTestHost, type TestHost } from '../testing/index.js'

const fixture = (path: string) => readFileSync(fileURLToPath(new URL(`../../test/fixtures/senders/${path}.json`, import.meta.url)), 'utf8')
const hmac = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('hex')

async function settled(t: TestHost, id: string) {
  const deadline = Date.now() + 10_000
  while (Date.now() < deadline) {
    const row = await t.host.storage.getDelivery(id)
    if (row && (row.status === 'done' || row.status === 'failed')) return row
    await new Promise((r) => setTimeout(r, 20))
  }
  throw new Error(`delivery ${id} did not finish`)
}

test('gitlab and gitea: every fixture with its token or signature becomes a message; wrong credentials are refused', async () => {
  const t = await createTestHost({
    builtins: true,
    config: {
      plugins: {
        // Every sample posts, the successful pipeline too (the quiet defaults are tested in shared/quiet.test.ts).
        gitlab: { config: { token: 'gl-token-123', notificationChat: 'test-gl', filters: { runs: 'all' } } },
        gitea: { config: { webhookSecret: 'gitea-secret', notificationChat: 'test-gt', locale: 'en' } },
      },
    },
  })
  try {
    const gitlabEvents: Record<string, string> = { push: 'Push Hook', tag_push: 'Tag Push Hook', issue: 'Issue Hook', merge_request: 'Merge Request Hook', note: 'Note Hook', pipeline: 'Pipeline Hook', job: 'Job Hook', release: 'Release Hook', deployment: 'Deployment Hook', wiki_page: 'Wiki Page Hook' }
    for (const [name, header] of Object.entries(gitlabEvents)) {
      const r = await t.webhook('gitlab', '/gitlab', { body: fixture(`gitlab/${name}`), headers: { 'content-type': 'application/json', 'x-gitlab-event': header, 'x-gitlab-token': 'gl-token-123' } })
      assert.equal(r.status, 202, `${name}: ${r.text}`)
      assert.equal((await settled(t, r.json().id)).status, 'done')
      const m = await t.sent.next()
      assert.equal(m.chatKey, 'test-gl')
      assert.ok(m.message.link?.url, name)
    }
    assert.equal((await t.webhook('gitlab', '/gitlab', { body: '{}', headers: { 'x-gitlab-token': 'wrong' } })).status, 401)
    for (const name of ['push', 'issues', 'issue_comment', 'pull_request', 'release']) {
      const body = fixture(`gitea/${name}`)
      const forgejo = name === 'release'
      const headers: Record<string, string> = forgejo
        ? { 'x-forgejo-event': name, 'x-forgejo-signature': hmac('gitea-secret', body) }
        : { 'x-gitea-event': name, 'x-gitea-signature': hmac('gitea-secret', body) }
      const r = await t.webhook('gitea', '/gitea', { body, headers: { 'content-type': 'application/json', ...headers } })
      assert.equal(r.status, 202, `${name}: ${r.text}`)
      await settled(t, r.json().id)
      const m = await t.sent.next()
      assert.equal(m.message.source, 'gitea/webhooks')
      assert.ok(m.message.title && !m.message.text.includes(m.message.title), 'the headline once')
    }
    assert.equal((await t.webhook('gitea', '/gitea', { body: '{}', headers: { 'x-gitea-event': 'push', 'x-gitea-signature': '0'.repeat(64) } })).status, 401)
  } finally {
    await t.close()
  }
})

test('alertmanager: bearer or basic auth, one message per notification, HA duplicates sent once; grafana HMAC on either header', async () => {
  const t = await createTestHost({
    builtins: true,
    config: {
      plugins: {
        alertmanager: { config: { bearerToken: 'am-token-123', basicAuth: 'am:pass-123', alertChat: 'test-alerts', timeZone: 'Asia/Shanghai' } },
        grafana: { config: { hmacSecret: 'grafana-secret', alertChat: 'test-grafana', locale: 'en' } },
      },
    },
  })
  try {
    const firing = fixture('alertmanager/firing')
    const bearer = { 'content-type': 'application/json', authorization: 'Bearer am-token-123' }
    const first = await t.webhook('alertmanager', '/alertmanager', { body: firing, headers: bearer })
    assert.equal(first.json().status, 'sent', first.text)
    const basic = { 'content-type': 'application/json', authorization: `Basic ${Buffer.from('am:pass-123').toString('base64')}` }
    const peer = await t.webhook('alertmanager', '/alertmanager', { body: firing, headers: basic })
    assert.equal(peer.status, 200)
    assert.equal(peer.json().status, 'duplicate', 'the HA peer sends the same notification: sent once')
    const resolved = await t.webhook('alertmanager', '/alertmanager', { body: fixture('alertmanager/resolved'), headers: bearer })
    assert.equal(resolved.json().status, 'sent')
    const [m1, m2] = [await t.sent.next(), await t.sent.next()]
    assert.equal(m1.message.title, '告警触发：2 条告警')
    assert.equal(m1.message.source, 'InstanceDown')
    assert.match(m1.message.text, /instance=db-1:9100/)
    assert.match(m1.message.text, /instance=db-2:9100/)
    assert.match(m2.message.title ?? '', /告警已恢复/)
    assert.equal(m2.message.level, 'success')
    assert.equal((await t.webhook('alertmanager', '/alertmanager', { body: firing, headers: { authorization: 'Bearer nope' } })).status, 401)
    const noAlerts = await t.webhook('alertmanager', '/alertmanager', { body: { status: 'firing' }, headers: bearer })
    assert.equal(noAlerts.status, 400)
    assert.match(noAlerts.text, /alerts/)

    const body = fixture('grafana/firing')
    for (const header of ['x-grafana-alerting-signature', 'x-grafana-alert-signature']) {
      const r = await t.webhook('grafana', '/grafana', { body: body.replace('My Super Webhook', header), headers: { 'content-type': 'application/json', [header]: hmac('grafana-secret', body.replace('My Super Webhook', header)) } })
      assert.equal(r.status, 200, r.text)
    }
    const g = await t.sent.next()
    assert.equal(g.message.title, 'Firing: 2 alerts')
    assert.equal((await t.webhook('grafana', '/grafana', { body, headers: { 'x-grafana-alerting-signature': hmac('other', body) } })).status, 401)
  } finally {
    await t.close()
  }
})

test('monitor: bearer token, 400 naming the missing field, time in the configured zone, metrics listed', async () => {
  const t = await createTestHost({ builtins: true, config: { plugins: { monitor: { config: { apiToken: 'mon-token-123', alertChat: 'test-mon', timeZone: 'Asia/Shanghai' } } } } })
  try {
    const auth = { authorization: 'Bearer mon-token-123' }
    for (const field of ['service', 'level']) {
      const body: Record<string, unknown> = { service: 'api', level: 'error' }
      delete body[field]
      const r = await t.webhook('monitor', '/monitor/alert', { body, headers: auth })
      assert.equal(r.status, 400)
      assert.equal(r.json().error.details.field, field)
      assert.match(r.json().error.message, new RegExp(`${field} is required`))
    }
    assert.equal((await t.webhook('monitor', '/monitor/alert', { body: { service: 'a', level: 'info', timestamp: 'soon' }, headers: auth })).json().error.details.field, 'timestamp')
    assert.equal((await t.webhook('monitor', '/monitor/alert', { body: { service: 'a', level: 'x' } })).status, 401)
    const r = await t.webhook('monitor', '/monitor/alert', { body: fixture('monitor/alert'), headers: { ...auth, 'content-type': 'application/json' } })
    assert.equal(r.status, 200, r.text)
    const m = await t.sent.next()
    assert.equal(m.message.icon, '🔴')
    assert.equal(m.message.title, '监控告警 | 严重')
    assert.equal(m.message.source, 'payment-api', 'the service is the source: e-mail subjects name it')
    const fields = Object.fromEntries((m.message.fields ?? []).map((f) => [f.name, f.value]))
    assert.equal(fields['时间'], '2024-05-01 16:00:00 (Asia/Shanghai)')
    assert.equal(fields.p99_ms, '1830')
  } finally {
    await t.close()
  }
})

test('relay: token or HMAC per relay, liquid template with own properties only, no file access, limits that stop runaway templates', async () => {
  const t = await createTestHost({
    builtins: true,
    config: {
      plugins: {
        relay: {
          config: {
            relays: [
              { name: 'deploys', token: 'relay-token-1', template: '🚀 {{ body.app }} {{ body.version | default: "?" }}{{ body.constructor }}{{ body.__proto__ }}', chats: ['test-relay'] },
              { name: 'signed', hmacSecret: 'relay-hmac-secret', template: '{% if body.skip %}{% else %}{{ body.msg | upcase }}{% endif %}', chats: ['test-relay'] },
              { name: 'runaway', token: 'relay-token-1', template: '{% for i in (1..1000) %}{% for j in (1..1000) %}{% for k in (1..1000) %}x{% endfor %}{% endfor %}{% endfor %}', chats: ['test-relay'] },
              { name: 'files', token: 'relay-token-1', template: "{% include '/etc/passwd' %}", chats: ['test-relay'] },
            ],
          },
        },
      },
    },
  })
  try {
    const bearer = { authorization: 'Bearer relay-token-1' }
    const r = await t.webhook('relay', '/deploys', { body: { app: 'shop', version: '1.2.3' }, headers: bearer })
    assert.equal(r.status, 200, r.text)
    assert.equal((await t.sent.next()).message.text, '🚀 shop 1.2.3')
    assert.equal((await t.webhook('relay', '/deploys', { body: { app: 'x' }, query: { token: 'relay-token-1' } })).status, 200)
    assert.equal((await t.sent.next()).message.text, '🚀 x ?')
    assert.equal((await t.webhook('relay', '/deploys', { body: { app: 'x' } })).status, 401)
    const body = JSON.stringify({ msg: 'hello' })
    assert.equal((await t.webhook('relay', '/signed', { body, headers: { 'x-signature': `sha256=${hmac('relay-hmac-secret', body)}` } })).status, 200)
    assert.equal((await t.sent.next()).message.text, 'HELLO')
    const skip = JSON.stringify({ skip: true })
    assert.equal((await t.webhook('relay', '/signed', { body: skip, headers: { 'x-signature': `sha256=${hmac('relay-hmac-secret', skip)}` } })).json().status, 'skipped')
    const runaway = await t.webhook('relay', '/runaway', { body: {}, headers: bearer })
    assert.equal(runaway.status, 400)
    assert.match(runaway.text, /limit exceeded/)
    const files = await t.webhook('relay', '/files', { body: {}, headers: bearer })
    assert.equal(files.status, 400)
    assert.doesNotMatch(files.text, /root:/)
  } finally {
    await t.close()
  }
})
