// Fuzzing (fast-check) of the inbound chat paths over real sockets: random frames, reports and updates never crash, 5xx or run a handler.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { CHAT, probeEvent, probeUpdate, signReport } from '../../../test/fixtures/security/chat-corpus.js'
import { chatHost, probes, type ChatHost } from '../../../test/fixtures/security/chat-host.js'

let h: ChatHost

before(async () => {
  h = await chatHost()
})
after(() => h.close())

/** Values no id, type or text field may take: each makes the event or update malformed (or not a message). No integers: 0 or -1 is a valid OneBot message_id. */
const wrongValue = fc.oneof(
  fc.constantFrom(null, true, false, 1.5, -2.5, 1e30, '', 'abc', '12x', [], {}, [1], { id: 1 }),
  fc.string({ maxLength: 20 }).filter((s) => !/^\d+$/.test(s)),
)
/** The probe event with one required field broken: it must never run. */
const brokenEvent = fc
  .tuple(fc.nat(), fc.constantFrom('self_id', 'message_id', 'user_id', 'group_id', 'message_type', 'post_type'), wrongValue)
  .map(([id, field, v]) => {
    const e = probeEvent(100_000 + id)
    return JSON.stringify({ ...e, [field]: field === 'post_type' || field === 'message_type' ? `x${String(v)}` : v })
  })
const frame = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.json({ maxDepth: 4 }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  brokenEvent,
  fc.record({ echo: fc.oneof(fc.uuid(), fc.jsonValue({ maxDepth: 1 })), status: fc.string(), retcode: fc.integer(), data: fc.jsonValue({ maxDepth: 2 }) }).map((o) => JSON.stringify(o)),
)

async function assertNothingSince(since: number, stored: number): Promise<void> {
  await h.settled()
  assert.deepEqual(h.runs.slice(since), [], 'no handler ran')
  assert.equal(await h.stored(), stored, 'no inbound message was stored')
}

test('random text and binary frames over an open reverse WebSocket: the connection stays up and nothing runs', async () => {
  const bot = await h.reverse()
  const since = h.runs.length
  const stored = await h.stored()
  try {
    await fc.assert(
      fc.asyncProperty(fc.oneof(frame.map((f) => ({ data: f, binary: false })), fc.uint8Array({ maxLength: 300 }).map((b) => ({ data: Buffer.from(b), binary: true }))), async (f) => {
        bot.ws.send(f.data, { binary: f.binary })
        assert.equal(bot.ws.readyState, bot.ws.OPEN)
      }),
      { numRuns: 400 },
    )
    await assertNothingSince(since, stored)
    assert.equal(bot.ws.readyState, bot.ws.OPEN, 'the connection is still up')
    await h.probeRunsOnce('qqrev', 1, async (id) => bot.send(probeEvent(id)))
  } finally {
    await bot.close()
  }
})

test('random frames from the forward-WebSocket implementation: hookcat stays connected and runs nothing', async () => {
  const since = h.runs.length
  const stored = await h.stored()
  const client = h.napcat.clients[0]
  await fc.assert(fc.asyncProperty(frame, async (f) => void client.send(f)), { numRuns: 300 })
  await assertNothingSince(since, stored)
  assert.deepEqual(h.napcat.clients, [client], 'the same connection')
  await h.probeRunsOnce('qqfwd', 2, probes(h).forward)
})

/** A signature header: the right one for the body, the right one for another body, or noise shaped like one. */
const signature = (body: Buffer) =>
  fc.oneof(
    fc.constant(`sha1=${signReport(body)}`),
    fc.constant(undefined),
    fc.stringMatching(/^[0-9a-f]{40}$/).map((d) => `sha1=${d}`),
    fc.tuple(fc.constantFrom('sha1=', 'SHA1=', 'sha256=', ''), fc.oneof(fc.stringMatching(/^[0-9a-fA-F]{0,80}$/), fc.base64String({ maxLength: 60 }))).map(([p, d]) => p + d),
    fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 80 }),
  )
const reportBody = fc.oneof(
  fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b)),
  frame.map((f) => Buffer.from(f)),
)

test('random reports, signed or not, to the HTTP event endpoint: a 4xx or an empty 204, never a 5xx or a run', async () => {
  const since = h.runs.length
  const stored = await h.stored()
  await fc.assert(
    fc.asyncProperty(reportBody.chain((b) => fc.tuple(fc.constant(b), signature(b), fc.constantFrom('application/json', 'text/plain', ''))), async ([body, sig, type]) => {
      const headers: Record<string, string> = { ...(type ? { 'content-type': type } : {}), ...(sig === undefined ? {} : { 'x-signature': sig }) }
      const r = await h.report(body, headers)
      const signed = sig === `sha1=${signReport(body)}`
      assert.ok(signed ? r.status === 204 || r.status === 400 : r.status === 400 || r.status === 401, `${r.status} ${r.text.slice(0, 120)} (signed: ${signed})`)
      if (r.status !== 204) assert.match(r.text, /^\{"error":\{"code":"[A-Z_]+"/)
    }),
    { numRuns: 300 },
  )
  await assertNothingSince(since, stored)
  await h.probeRunsOnce('qqhttp', 3, probes(h).report)
})

/** The probe update with one field broken, or random JSON: never a message with text. */
const brokenUpdate = fc
  .tuple(fc.nat(), fc.constantFrom('chat', 'from', 'message_id', 'text', 'message'), wrongValue)
  .map(([id, field, v]) => {
    const u = probeUpdate(200_000 + id) as { update_id: number; message: Record<string, unknown> }
    const message = field === 'message' ? v : field === 'chat' || field === 'from' ? { ...u.message, [field]: { id: v } } : { ...u.message, [field]: field === 'text' && typeof v === 'string' ? 1 : v }
    return JSON.stringify({ ...u, message })
  })

test('random Telegram updates, with and without the secret token: 200, 400 or 401 with a code, never a 5xx or a run', async () => {
  const since = h.runs.length
  const stored = await h.stored()
  const token = fc.oneof(fc.constant(CHAT.telegramSecret), fc.constant(undefined), fc.stringMatching(/^[A-Za-z0-9_-]{0,40}$/))
  const body = fc.oneof(brokenUpdate, fc.json({ maxDepth: 3 }), fc.string({ maxLength: 200 }), fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')))
  await fc.assert(
    fc.asyncProperty(token, body, async (secret, update) => {
      const r = await h.update(update, { 'content-type': 'application/json', ...(secret === undefined ? {} : { 'x-telegram-bot-api-secret-token': secret }) })
      const right = secret === CHAT.telegramSecret
      assert.ok(right ? r.status === 200 || r.status === 400 : r.status === 401, `${r.status} ${r.text.slice(0, 120)}`)
      if (r.status !== 200) assert.match(r.text, /^\{"error":\{"code":"[A-Z_]+"/)
    }),
    { numRuns: 300 },
  )
  await assertNothingSince(since, stored)
  await h.probeRunsOnce('tg', 4, probes(h).telegram)
  h.assertLogsClean()
})
