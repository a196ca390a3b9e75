// WeCom adapter against a fake group robot: key in the URL, markdown and text, errcodes, faults, byte limits.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { fakeWeCom } from '../../../test/fakes/wecom.js'
import { checkFaults, longMessage, makeAdapter, sendError, sendWhole } from '../../../test/fakes/harness.js'
import { wecomAdapter } from './index.js'

const fake = fakeWeCom(['key-0001-abcdef'])
let apiBase = ''
before(async () => {
  apiBase = await fake.start()
})
after(() => fake.close())
const hooks = [
  { name: 'ops', key: 'key-0001-abcdef' },
  { name: 'gone', key: 'key-9999-zzzzzz' },
]

test('markdown to /cgi-bin/webhook/send?key=KEY with <@user> mentions', async () => {
  const wc = makeAdapter(wecomAdapter, { apiBase, webhooks: hooks })
  await sendWhole(wc, 'ops', { text: '', markdown: '**up** <again>', mentions: ['zhangsan'] })
  const req = fake.accepted.at(-1)!
  assert.equal(req.path, '/cgi-bin/webhook/send')
  assert.equal(req.query.get('key'), 'key-0001-abcdef')
  assert.deepEqual(req.json, { msgtype: 'markdown', markdown: { content: '**up** ＜again＞\n<@zhangsan>' } })
})

test('text format puts mentions in mentioned_list / mentioned_mobile_list', async () => {
  const wc = makeAdapter(wecomAdapter, { apiBase, webhooks: hooks, format: 'text' })
  await sendWhole(wc, 'ops', { text: 'hello', mentions: ['lisi', '13800000000'] })
  assert.deepEqual(fake.accepted.at(-1)!.json, { msgtype: 'text', text: { content: 'hello', mentioned_list: ['lisi'], mentioned_mobile_list: ['13800000000'] } })
})

test('an invalid key (93000) is final and not shown; over the frequency limit (45009) waits a minute', async () => {
  const wc = makeAdapter(wecomAdapter, { apiBase, webhooks: hooks })
  const error = await sendError(sendWhole(wc, 'gone', { text: 'x' }))
  assert.equal(error.retryable, false)
  assert.match(error.message, /errcode 93000/)
  assert.doesNotMatch(error.message, /key-9999/)
  await checkFaults(fake, wc, 'ops', 60_000)
})

test('a message of 50,000 characters arrives within 4096 bytes (markdown) and 2048 bytes (text) a part', async () => {
  for (const [format, limit] of [['markdown', 4096], ['text', 2048]] as const) {
    const wc = makeAdapter(wecomAdapter, { apiBase, webhooks: hooks, format, maxParts: 40 })
    const before = fake.accepted.length
    const parts = await sendWhole(wc, 'ops', longMessage())
    const sent = fake.accepted.slice(before).map((r) => fake.spec.textOf(r))
    assert.equal(sent.length, parts)
    for (const t of sent) assert.ok(Buffer.byteLength(t) <= limit, `${format}: ${Buffer.byteLength(t)} bytes`)
    assert.match(sent.at(-1)!, /truncated|source/)
  }
})
