// Repeat control through the real server on the injected clock: repeats become one "still firing" line or nothing, resolves go out, flapping is summarised.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { createClock, createTestHost, type TestHost } from '../../testing/index.js'
import { waitFor } from '../../testing/helpers.js'

const sample = (plugin: string, name: string) => JSON.parse(readFileSync(new URL(`../../../test/fixtures/senders/${plugin}/${name}.json`, import.meta.url), 'utf8'))
const firing = sample('alertmanager', 'firing')
const resolved = sample('alertmanager', 'resolved')
const MIN = 60_000
// 00:14 UTC is 08:14 in Asia/Shanghai.
const START = Date.UTC(2026, 0, 5, 0, 14)

async function alertHost(config: Record<string, unknown>, plugin = 'alertmanager'): Promise<TestHost> {
  return createTestHost({
    builtins: true,
    clock: createClock({ start: START }),
    config: { plugins: { [plugin]: { enabled: true, config: { alertChat: 'test-ops', timeZone: 'Asia/Shanghai', dedupWindow: 60, ...config } } } },
  })
}

async function post(t: TestHost, body: unknown): Promise<Record<string, unknown>> {
  const r = await t.send.bearer('alertmanager', '/alertmanager', body, { token: 'am-token' })
  assert.equal(r.status, 200, r.text)
  return r.json()
}

const titles = async (t: TestHost, n: number) => (await waitFor(() => (t.sent.all().length >= n ? t.sent.all() : undefined), `${n} messages`)).map((m) => m.message.title)

test('alertmanager: a repeated firing within the window is one "still firing" line with the count and start time; a resolve always goes out in full', async () => {
  const t = await alertHost({ bearerToken: 'am-token', locale: 'en' })
  try {
    assert.equal((await post(t, firing)).status, 'sent')
    await t.clock.advance(60 * MIN)
    assert.equal((await post(t, firing)).repeat, 'still')
    await t.clock.advance(60 * MIN)
    await post(t, firing)
    await t.clock.advance(2 * MIN)
    assert.equal((await post(t, resolved)).repeat, undefined)
    const got = await titles(t, 4)
    assert.match(got[0]!, /firing/i)
    assert.equal(got[1], 'still firing (×2, since 08:14)')
    assert.equal(got[2], 'still firing (×3, since 08:14)')
    assert.match(got[3]!, /resolved/i)
    const repeat = t.sent.all()[2]!.message
    assert.equal(repeat.text, '', 'the repeat is one line: no alert list again')
    assert.equal(repeat.source, t.sent.all()[0]!.message.source)
    assert.equal(repeat.link?.url, t.sent.all()[0]!.message.link?.url)

    // After the window the alert is told in full again.
    await t.clock.advance(10 * MIN)
    await post(t, firing)
    await t.clock.advance(5 * 60 * MIN)
    await post(t, firing)
    const later = await titles(t, 6)
    assert.doesNotMatch(later[4]!, /still firing/)
    assert.doesNotMatch(later[5]!, /still firing/, 'a firing after repeat.window is a full message')
  } finally {
    await t.close()
  }
})

test('alertmanager: firing, resolved, firing within minutes is summarised as flapping (zh-CN), and the resolves still go out', async () => {
  const t = await alertHost({ bearerToken: 'am-token' })
  try {
    await post(t, firing)
    await t.clock.advance(2 * MIN)
    await post(t, resolved)
    await t.clock.advance(2 * MIN)
    assert.equal((await post(t, firing)).repeat, 'flapping')
    await t.clock.advance(2 * MIN)
    await post(t, resolved)
    await t.clock.advance(2 * MIN)
    await post(t, firing)
    const got = await titles(t, 5)
    assert.match(got[0]!, /告警/)
    assert.match(got[1]!, /恢复/)
    assert.equal(got[2], '告警抖动：4 分钟内 3 次变化')
    assert.match(got[3]!, /恢复/)
    assert.equal(got[4], '告警抖动：8 分钟内 5 次变化')
  } finally {
    await t.close()
  }
})

test('grafana with repeat.mode suppress: a repeat sends nothing and says so; a new set of firing alerts is news; bad repeat config names the field', async () => {
  const t = await alertHost({ public: true, repeat: { mode: 'suppress', window: '2h' } }, 'grafana')
  try {
    const body = sample('grafana', 'firing')
    const send = async (b: unknown) => (await t.webhook('grafana', '/grafana', { body: b })).json()
    assert.equal((await send(body)).status, 'sent')
    await t.clock.advance(30 * MIN)
    const again = await send(body)
    assert.equal(again.status, 'suppressed')
    assert.match(again.reason, /×2/)
    // One more alert in the group is not a repeat.
    const more = structuredClone(body)
    more.alerts.push({ ...more.alerts[0], fingerprint: 'another-one', labels: { ...more.alerts[0].labels, instance: 'other:9100' } })
    await t.clock.advance(1 * MIN)
    assert.equal((await send(more)).status, 'sent')
    await waitFor(() => t.sent.all().length === 2, 'two messages')
    assert.equal(t.sent.all().length, 2)

    // A bad repeat config stops start-up, naming each field.
    await assert.rejects(createTestHost({ builtins: true, config: { plugins: { grafana: { enabled: true, config: { repeat: { window: 'soon', mode: 'loud' } } } } } }), (error: Error) => {
      assert.match(error.message, /plugins\.grafana\.config\.repeat\.window: "soon" is not a duration/)
      assert.match(error.message, /plugins\.grafana\.config\.repeat\.mode/)
      return true
    })
  } finally {
    await t.close()
  }
})
