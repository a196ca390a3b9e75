// Issue 13.8: a relay's template never sees credentials from the query (its own ?token= above all), as it never sees credential headers.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestHost } from '../../testing/index.js'

const TOKEN = 'relay-query-token-Zx81'

test('credentials in the query are removed before the template sees it; other parameters stay', async () => {
  const t = await createTestHost({
    builtins: true,
    config: { plugins: { relay: { config: { relays: [{ name: 'q', token: TOKEN, template: 'Q={{ query | json }} H={{ headers | json }}', chats: ['test-relay'] }] } } } },
  })
  try {
    const query = { token: TOKEN, env: 'prod', api_key: 'k-Qa73', access_token: 'at-Lm29', password: 'pw-Jt55', sig: 'sig-Rr12', region: 'eu' }
    const r = await t.webhook('relay', '/q', { body: {}, query })
    assert.equal(r.status, 200, r.text)
    const text = (await t.sent.next()).message.text as string
    assert.match(text, /prod/)
    assert.match(text, /region/)
    for (const secret of [TOKEN, 'k-Qa73', 'at-Lm29', 'pw-Jt55', 'sig-Rr12']) assert.ok(!text.includes(secret), `${secret} reached the chat: ${text}`)
    // With the token in the Authorization header, a ?token= in the URL is still not shown.
    const byHeader = await t.webhook('relay', '/q', { body: {}, headers: { authorization: `Bearer ${TOKEN}` }, query: { token: 'another-Vb44', keep: 'me' } })
    assert.equal(byHeader.status, 200, byHeader.text)
    const second = (await t.sent.next()).message.text as string
    assert.ok(!second.includes('another-Vb44') && !second.includes(TOKEN), second)
    assert.match(second, /keep/)
  } finally {
    await t.close()
  }
})
