// Deliveries say what they were, over the real admin API: the sender's event type, the outcome (delivered, ignored,
// filtered, failed, dead) with its reason, filters on both, and the links between a delivery and its messages.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { definePlugin, reply } from '../index.js'
import { waitFor } from '../testing/helpers.js'
import { createTestHost, type TestHost } from '../testing/index.js'

const SECRET = 'gh-secret-value'
const repository = { full_name: 'octo/cat', name: 'cat', owner: { login: 'octo' }, html_url: 'https://github.com/octo/cat' }
const push = (branch: string) => ({
  ref: `refs/heads/${branch}`,
  repository,
  sender: { login: 'mona' },
  commits: [{ id: 'abc1234', message: 'fix', author: { name: 'mona' }, url: 'https://github.com/octo/cat/commit/abc1234' }],
  compare: 'https://github.com/octo/cat/compare/a...b',
})

const own = definePlugin({
  name: 'own',
  version: '1.0.0',
  setup(plugin) {
    plugin.mountWebhook('/quiet', () => reply.ignored('nothing to do for this one'), { public: true })
    plugin.mountWebhook('/boom', () => {
      throw new Error('boom')
    }, { public: true })
    plugin.mountWebhook('/nowhere', async () => plugin.sendAll(['nowhere-x'], 'lost'), { public: true, event: 'lost-one' })
  },
})

let t: TestHost
before(async () => {
  t = await createTestHost({
    builtins: true,
    plugins: [own],
    strictConfig: false,
    config: {
      plugins: {
        github: { config: { webhookSecret: SECRET, locale: 'en', notificationChat: 'test-gh', filters: { branches: ['main'] } } },
        alertmanager: { config: { bearerToken: 'am-token-value', alertChat: 'test-alerts' } },
        relay: { config: { relays: [{ name: 'ci', token: 'relay-token-1', template: 'build {{ body.n }}', chats: ['test-ci'] }] } },
      },
    },
  })
})
after(() => t.close())

type Summary = { id: string; plugin: string; event: string | null; outcome: string; outcomeReason: string | null }

async function settled(id: string): Promise<Summary & { messageIds: string[] }> {
  return waitFor(async () => {
    const detail = (await t.admin(`/api/admin/deliveries/${id}`)).json()
    return detail.outcome === 'pending' ? undefined : detail
  }, `delivery ${id} handled`, 15_000)
}

test('each delivery has its event type and outcome, filterable, and links to its messages both ways', async () => {
  const main = (await t.send.github('github', '/github', 'push', push('main'), { secret: SECRET })).json().id as string
  const dev = (await t.send.github('github', '/github', 'push', push('dev'), { secret: SECRET })).json().id as string
  const alert = await t.send.bearer('alertmanager', '/alertmanager', {
    version: '4', status: 'firing', receiver: 'hookcat', groupKey: 'g1', groupLabels: {}, commonLabels: { alertname: 'Disk' }, commonAnnotations: {}, externalURL: 'http://am',
    alerts: [{ status: 'firing', labels: { alertname: 'Disk' }, annotations: { summary: 'disk full' }, startsAt: '2026-01-01T00:00:00Z', endsAt: '0001-01-01T00:00:00Z', fingerprint: 'f1' }],
  }, { token: 'am-token-value' })
  assert.equal(alert.status, 200, alert.text)
  assert.equal((await t.send.bearer('relay', '/ci', { n: 7 }, { token: 'relay-token-1' })).status, 200)
  assert.equal((await t.webhook('own', '/quiet', { method: 'POST', body: {} })).json().status, 'ignored')
  assert.equal((await t.webhook('own', '/boom', { method: 'POST', body: {} })).status, 500)
  assert.equal((await t.webhook('own', '/nowhere', { method: 'POST', body: {} })).status, 200)

  const delivered = await settled(main)
  assert.deepEqual([delivered.event, delivered.outcome, delivered.outcomeReason], ['push', 'delivered', null])
  assert.equal(delivered.messageIds.length, 1)
  const { message } = (await t.admin(`/api/admin/outbox/${delivered.messageIds[0]}`)).json()
  assert.equal(message.deliveryId, main)
  const filtered = await settled(dev)
  assert.deepEqual([filtered.event, filtered.outcome, filtered.outcomeReason, filtered.messageIds], ['push', 'filtered', 'branch dev is not in filters.branches', []])

  const list = async (query: string) => ((await t.admin(`/api/admin/deliveries?${query}`)).json().deliveries as Summary[]).map((d) => [d.plugin, d.event, d.outcome, d.outcomeReason])
  assert.deepEqual(await list('event=push&outcome=filtered'), [['github', 'push', 'filtered', 'branch dev is not in filters.branches']])
  assert.deepEqual(await list('plugin=alertmanager'), [['alertmanager', 'firing', 'delivered', null]])
  assert.deepEqual(await list('plugin=relay'), [['relay', 'ci', 'delivered', null]])
  assert.deepEqual(await list('plugin=own&outcome=ignored'), [['own', null, 'ignored', 'nothing to do for this one']])
  const failed = await list('plugin=own&outcome=failed')
  assert.equal(failed.length, 1)
  assert.match(String(failed[0][3]), /boom/)
  assert.deepEqual(await list('outcome=dead'), [['own', 'lost-one', 'dead', null]])
  assert.equal((await t.admin('/api/admin/deliveries?outcome=lost')).status, 400)
})
