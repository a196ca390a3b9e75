// Admin API: tickets, the live SSE feeds (events, web rooms with resume) and the overview stats.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { demoHost, githubHeaders, readEvents, until } from './test-fixtures/fixtures.js'

test('SSE routes take a short-lived ticket instead of the token, and refuse anything else', async () => {
  const t = await demoHost()
  try {
    const issued = await t.admin('/api/admin/tickets', { method: 'POST', json: { stream: '/events' } })
    assert.equal(issued.status, 201, issued.text)
    const { ticket, expiresAt } = issued.json()
    assert.ok(expiresAt > Date.now() && expiresAt <= Date.now() + 60_000)
    assert.ok(!ticket.includes(t.adminToken))
    const events = await readEvents(`${t.url}/api/admin/events?ticket=${encodeURIComponent(ticket)}`, (e) => e.length >= 1, {
      onOpen: () => t.webhook('demo', '/echo', { body: 'ping' }),
    })
    assert.equal(events[0].event, 'delivery')
    assert.equal(events[0].data.plugin, 'demo')
    // A ticket opens only the SSE routes.
    assert.equal((await t.request(`/api/admin/plugins?ticket=${encodeURIComponent(ticket)}`)).status, 401)
    const forged = ticket.replace(/.$/, (c: string) => (c === 'A' ? 'B' : 'A'))
    assert.equal((await t.request(`/api/admin/events?ticket=${encodeURIComponent(forged)}`)).status, 401)
    assert.equal((await t.request(`/api/admin/events?ticket=${Date.now().toString(36)}.x`)).status, 401)
    assert.equal((await t.request('/api/admin/events')).status, 401)
  } finally {
    await t.close()
  }
})

test('a ticket opens the one stream it was issued for, once', async () => {
  const t = await demoHost()
  try {
    const issue = async (stream: string) => encodeURIComponent((await t.admin('/api/admin/tickets', { method: 'POST', json: { stream } })).json().ticket)
    const events = await issue('/events')
    const first = await readEvents(`${t.url}/api/admin/events?ticket=${events}`, (e) => e.length >= 1, { onOpen: () => t.webhook('demo', '/echo', { body: 'once' }) })
    assert.equal(first[0].event, 'delivery')
    // Used up: the same ticket a second time is refused, even within its minute.
    assert.equal((await t.request(`/api/admin/events?ticket=${events}`)).status, 401)
    // Bound to its stream: one issued for /events does not open a room, nor one room's another room.
    assert.equal((await t.request(`/api/admin/web/rooms/alerts/stream?ticket=${await issue('/events')}`)).status, 401)
    assert.equal((await t.request(`/api/admin/web/rooms/secret-room/stream?ticket=${await issue('/web/rooms/alerts/stream')}`)).status, 401)
    assert.equal((await t.request(`/api/admin/events?ticket=${await issue('/web/rooms/alerts/stream')}`)).status, 401)
    // A ticket must name an SSE stream.
    for (const json of [undefined, {}, { stream: '/plugins' }, { stream: '/web/rooms/a/b/stream' }]) {
      const r = await t.admin('/api/admin/tickets', { method: 'POST', ...(json === undefined ? {} : { json }) })
      assert.equal(r.status, 400, `${JSON.stringify(json)}: ${r.text}`)
    }
  } finally {
    await t.close()
  }
})

test('a web room streams its messages live, with the seq as event id, and resumes after Last-Event-ID', async () => {
  const t = await demoHost()
  try {
    const ticket = async () => encodeURIComponent((await t.admin('/api/admin/tickets', { method: 'POST', json: { stream: '/web/rooms/alerts/stream' } })).json().ticket)
    const body = JSON.stringify({ text: 'from github' })
    const live = await readEvents(`${t.url}/api/admin/web/rooms/alerts/stream?ticket=${await ticket()}`, (e) => e.length >= 1, {
      onOpen: () => t.webhook('demo', '/github', { body, headers: githubHeaders(body) }),
    })
    assert.equal(live[0].data.room, 'alerts')
    assert.equal(live[0].data.message.text, '[push] from github')
    assert.equal(live[0].id, String(live[0].data.seq))

    for (const text of ['two', 'three']) await t.admin('/api/admin/send', { method: 'POST', json: { chatKey: 'web-alerts', message: text } })
    await t.admin('/api/admin/send', { method: 'POST', json: { chatKey: 'web-elsewhere', message: 'not here' } })
    const resumed = await readEvents(`${t.url}/api/admin/web/rooms/alerts/stream?ticket=${await ticket()}`, (e) => e.length >= 2, {
      headers: { 'last-event-id': live[0].id! },
    })
    assert.deepEqual(resumed.map((e) => e.data.message.text), ['two', 'three'])
    assert.ok(Number(resumed[0].id) > Number(live[0].id))

    const rooms = (await t.admin('/api/admin/web/rooms')).json().rooms
    assert.deepEqual(rooms.map((r: any) => r.room).sort(), ['alerts', 'elsewhere'])
    const after = (await t.admin(`/api/admin/web/rooms/alerts/messages?after=${live[0].id}`)).json().messages
    assert.equal(after.length, 2)
    assert.equal((await t.admin('/api/admin/web/rooms/bad%20room/messages')).status, 400)
    assert.equal((await t.admin('/api/admin/web/rooms/ok/messages?after=-1')).status, 400)
  } finally {
    await t.close()
  }
})

test('stats count deliveries per minute, the success rate, outbox states and the inbox backlog', async () => {
  const t = await demoHost()
  try {
    await t.webhook('demo', '/echo', { body: 'a' })
    await t.webhook('demo', '/echo', { body: 'b' })
    await t.webhook('demo', '/github', { body: '{}', headers: { ...githubHeaders('{}'), 'x-hub-signature-256': 'sha256=' + '0'.repeat(64) } })
    // A refusal is recorded just after it is answered.
    const r = await until(() => t.admin('/api/admin/stats'), (res) => res.json().deliveries.total === 3)
    assert.equal(r.status, 200, r.text)
    const stats = r.json()
    assert.equal(stats.deliveriesPerMinute.length, 60)
    assert.equal(stats.deliveriesPerMinute.reduce((n: number, b: any) => n + b.total, 0), 3)
    assert.equal(stats.deliveries.failed, 1)
    assert.equal(stats.successRate, 2 / 3)
    assert.equal(typeof stats.outbox.dead, 'number')
    assert.equal(stats.deadLetters, stats.outbox.dead)
    assert.equal(typeof stats.inboxBacklog, 'number')
  } finally {
    await t.close()
  }
})
