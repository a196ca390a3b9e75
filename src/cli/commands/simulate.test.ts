// hookcat simulate: every bundled sample, signed with the configured secret, is accepted by the running built-in.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestHost } from '../../testing/index.js'
import { buildSimulation, sampleEvents } from './simulate.js'

// Every sample posts (the forges' quiet defaults would drop queued runs, synchronize and passing statuses).
const loud = { runs: 'all', synchronize: true, statuses: ['success', 'failure', 'error', 'pending'] }
const plugins = {
  github: { webhookSecret: 'sim-github-secret', notificationChat: 'test-sim', filters: loud },
  gitlab: { token: 'sim-gitlab-token', signingToken: `whsec_${Buffer.from('sim-signing-key-0123456789abcdef').toString('base64')}`, notificationChat: 'test-sim', filters: loud },
  gitea: { webhookSecret: 'sim-gitea-secret', notificationChat: 'test-sim', filters: loud },
  alertmanager: { basicAuth: 'am:sim-pass', alertChat: 'test-sim' },
  grafana: { hmacSecret: 'sim-grafana-secret', alertChat: 'test-sim' },
  monitor: { apiToken: 'sim-monitor-token', alertChat: 'test-sim' },
}
const paths: Record<string, string> = { github: '/github', gitlab: '/gitlab', gitea: '/gitea', alertmanager: '/alertmanager', grafana: '/grafana', monitor: '/monitor/alert' }

test('simulate signs every bundled sample as its sender does, and the built-in accepts it', async () => {
  const t = await createTestHost({ builtins: true, config: { plugins: Object.fromEntries(Object.entries(plugins).map(([k, v]) => [k, { config: v }])) } })
  try {
    let sent = 0
    for (const [plugin, config] of Object.entries(plugins)) {
      const events = sampleEvents(plugin)
      assert.ok(events.length > 0, plugin)
      for (const event of events) {
        const s = buildSimulation(plugin, paths[plugin], config, { event })
        const r = await t.webhook(plugin, s.path, { body: s.body, headers: s.headers })
        assert.ok(r.status === 200 || r.status === 202, `${plugin} ${event}: ${r.status} ${r.text}`)
        sent++
      }
    }
    await t.sent.waitFor(sent, 15_000)
    assert.throws(() => buildSimulation('github', '/github', {}, { event: 'push' }), /webhookSecret is not set/)
    assert.throws(() => buildSimulation('github', '/github', plugins.github, { event: 'nope' }), /samples: /)
  } finally {
    await t.close()
  }
})
