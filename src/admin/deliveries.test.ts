// Admin API: the delivery log (filters, paging, detail, replay) and the outbox (dead letters retried and discarded, also in bulk).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { demoHost, failing, githubHeaders, until } from './test-fixtures/fixtures.js'

test('deliveries are listed with filters and paging, shown in detail with redacted headers, and replayed', async () => {
  const t = await demoHost()
  try {
    const body = JSON.stringify({ text: 'first push' })
    assert.equal((await t.webhook('demo', '/github', { body, headers: githubHeaders(body) })).status, 202)
    await t.webhook('demo', '/echo', { body: Buffer.from([0xff, 0xfe, 0x00, 0x01]), headers: { 'content-type': 'application/octet-stream', authorization: 'Bearer caller-credential' } })
    await t.webhook('demo', '/github', { body: '{}', headers: { ...githubHeaders('{}'), 'x-hub-signature-256': 'sha256=' + '0'.repeat(64) } })
    await t.sent.waitFor(0)

    const all = await until(() => t.admin('/api/admin/deliveries'), (r) => r.json().deliveries.length === 3)
    assert.equal(all.status, 200, all.text)
    assert.equal(all.json().deliveries.length, 3)
    assert.equal(all.json().deliveries[0].body, undefined)
    const rejected = (await t.admin('/api/admin/deliveries?status=rejected')).json().deliveries
    assert.equal(rejected.length, 1)
    assert.equal(rejected[0].responseStatus, 401)
    assert.equal((await t.admin('/api/admin/deliveries?q=first%20push')).json().deliveries.length, 1)
    assert.equal((await t.admin('/api/admin/deliveries?plugin=other')).json().deliveries.length, 0)
    assert.equal((await t.admin(`/api/admin/deliveries?since=${Date.now() + 60_000}`)).json().deliveries.length, 0)
    assert.equal((await t.admin(`/api/admin/deliveries?until=${new Date(Date.now() + 60_000).toISOString()}`)).json().deliveries.length, 3)
    const page = (await t.admin('/api/admin/deliveries?limit=2')).json()
    assert.equal(page.deliveries.length, 2)
    const rest = (await t.admin(`/api/admin/deliveries?limit=2&before=${page.next}`)).json()
    assert.equal(rest.deliveries.length, 1)
    assert.equal(rest.next, undefined)
    const badQuery = await t.admin('/api/admin/deliveries?status=weird&limit=0&since=yesterday')
    assert.equal(badQuery.status, 400)
    assert.deepEqual(Object.keys(badQuery.json().error.details.fields).sort(), ['limit', 'since', 'status'])

    const binary = all.json().deliveries.find((d: any) => d.path === '/echo')
    const detail = (await t.admin(`/api/admin/deliveries/${binary.id}`)).json()
    assert.equal(detail.body.encoding, 'base64')
    assert.equal(Buffer.from(detail.body.data, 'base64').toString('hex'), 'fffe0001')
    assert.equal(detail.headers.authorization, '[redacted]')
    assert.equal(detail.response.status, 200)
    assert.ok(detail.timing.receivedAt > 0)
    const push = all.json().deliveries.find((d: any) => d.path === '/github' && d.status !== 'rejected')
    const pushDetail = (await t.admin(`/api/admin/deliveries/${push.id}`)).json()
    assert.equal(pushDetail.body.encoding, 'utf8')
    assert.equal(pushDetail.body.data, body)
    assert.equal(pushDetail.headers['x-hub-signature-256'], '[redacted]')
    assert.equal((await t.admin('/api/admin/deliveries/nope')).status, 404)

    const replay = await t.admin(`/api/admin/deliveries/${push.id}/replay`, { method: 'POST' })
    assert.equal(replay.status, 202, replay.text)
    assert.notEqual(replay.json().id, push.id)
    const rooms = async () => (await t.admin('/api/admin/web/rooms/alerts/messages')).json().messages
    for (let i = 0; i < 200 && (await rooms()).length < 2; i++) await new Promise((r) => setTimeout(r, 25))
    assert.equal((await rooms()).length, 2)
    assert.equal((await t.admin('/api/admin/deliveries/nope/replay', { method: 'POST' })).status, 404)
  } finally {
    await t.close()
  }
})

test('dead letters are listed with their attempts, retried and discarded, one by one or as a selection', async () => {
  const t = await demoHost()
  failing.on = true
  try {
    const ids: string[] = []
    for (const text of ['one', 'two', 'three', 'four']) {
      const sent = await t.admin('/api/admin/send', { method: 'POST', json: { chatKey: 'flaky-ops', message: text } })
      assert.equal(sent.status, 202, sent.text)
      ids.push(sent.json().id)
    }
    const dead = await until(async () => (await t.admin('/api/admin/outbox?state=dead')).json().messages, (m) => m.length === 4)
    assert.equal(dead.length, 4)
    const detail = (await t.admin(`/api/admin/outbox/${ids[0]}`)).json()
    assert.equal(detail.message.state, 'dead')
    assert.equal(detail.attempts[0].error, failing.error)
    assert.equal(detail.attempts[0].httpStatus, 400)

    failing.on = false
    const retried = await t.admin(`/api/admin/outbox/${ids[0]}/retry`, { method: 'POST' })
    assert.equal(retried.status, 200, retried.text)
    const delivered = await until(async () => (await t.admin(`/api/admin/outbox/${ids[0]}`)).json().message.state, (s) => s === 'delivered')
    assert.equal(delivered, 'delivered')
    const again = await t.admin(`/api/admin/outbox/${ids[0]}/retry`, { method: 'POST' })
    assert.equal(again.status, 409)
    assert.equal((await t.admin(`/api/admin/outbox/${ids[0]}/discard`, { method: 'POST' })).status, 409)
    assert.equal((await t.admin('/api/admin/outbox/nope/retry', { method: 'POST' })).status, 404)

    const discarded = await t.admin(`/api/admin/outbox/${ids[1]}/discard`, { method: 'POST' })
    assert.equal(discarded.json().state, 'discarded')

    const bulk = await t.admin('/api/admin/outbox/retry', { method: 'POST', json: { ids: [ids[2], ids[3], ids[0], 'nope'] } })
    assert.equal(bulk.status, 200, bulk.text)
    assert.equal(bulk.json().done, 2)
    assert.deepEqual(bulk.json().results.map((r: any) => r.ok), [true, true, false, false])
    await until(async () => (await t.admin('/api/admin/outbox?state=delivered')).json().messages, (m) => m.length === 3)
    const bulkDiscard = await t.admin('/api/admin/outbox/discard', { method: 'POST', json: { ids: [ids[2]] } })
    assert.equal(bulkDiscard.json().results[0].error.code, 'CONFLICT')
    assert.equal((await t.admin('/api/admin/outbox/retry', { method: 'POST', json: { ids: [] } })).status, 400)
    assert.equal((await t.admin('/api/admin/outbox?state=delivered&chatKey=flaky-ops')).json().messages.length, 3)
    assert.equal((await t.admin('/api/admin/outbox?state=nope')).status, 400)

    const chats = (await t.admin('/api/admin/chats')).json()
    const flaky = chats.chats.find((c: any) => c.chatKey === 'flaky-ops')
    assert.equal(flaky.total, 4)
    assert.equal(flaky.counts.discarded, 1)
    assert.ok(chats.adapters.some((a: any) => a.name === 'web' && a.type === 'web'))
  } finally {
    failing.on = true
    await t.close()
  }
})

test('send validates the chat_key and the message', async () => {
  const t = await demoHost()
  try {
    const unknown = await t.admin('/api/admin/send', { method: 'POST', json: { chatKey: 'nowhere-x', message: 'hi' } })
    assert.equal(unknown.status, 400)
    assert.equal(unknown.json().error.code, 'INVALID_CHAT_KEY')
    const empty = await t.admin('/api/admin/send', { method: 'POST', json: { chatKey: 'web-x', message: { title: 'no text' } } })
    assert.equal(empty.status, 400)
    assert.equal(empty.json().error.code, 'VALIDATION_FAILED')
    const missing = await t.admin('/api/admin/send', { method: 'POST', json: { message: 'hi' } })
    assert.ok(missing.json().error.details.fields.chatKey)
    const ok = await t.admin('/api/admin/send', { method: 'POST', json: { chatKey: 'web-lobby', message: { text: 'hello', title: 'Hi' } } })
    assert.equal(ok.status, 202, ok.text)
    const messages = await until(async () => (await t.admin('/api/admin/web/rooms/lobby/messages')).json().messages, (m) => m.length === 1)
    assert.equal(messages[0].message.text, 'hello')
  } finally {
    await t.close()
  }
})
