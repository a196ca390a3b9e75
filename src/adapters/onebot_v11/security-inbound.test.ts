// The inbound bad-input corpus over real sockets: forged and malformed OneBot reports, handshakes, frames and Telegram updates run nothing.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { waitFor } from '../../testing/helpers.js'
import { badFrames, closingFrames, cqCases, handshakeCases, httpEventCases, probeEvent, telegramCases } from '../../../test/fixtures/security/chat-corpus.js'
import { chatHost, probes, type ChatHost } from '../../../test/fixtures/security/chat-host.js'
import type { WebSocket } from 'ws'
import { rawRequest } from '../../../test/fixtures/security/raw-http.js'

let h: ChatHost

before(async () => {
  h = await chatHost()
})
after(() => h.close())

/** A refusal's answer: its status, and the error code of its JSON body. */
function assertAnswer(name: string, r: { status: number; text: string }, status: number, code: string | undefined, wrong: string[]): void {
  let got: string | undefined
  try {
    got = r.text ? (JSON.parse(r.text) as { error?: { code?: string } }).error?.code : undefined
  } catch {
    got = `not JSON: ${r.text.slice(0, 60)}`
  }
  if (r.status !== status || got !== code) wrong.push(`${name}: ${r.status} ${got ?? ''} (want ${status} ${code ?? ''})`)
}

/** Handler runs and stored messages so far, to compare with after a batch of bad input. */
async function mark(): Promise<{ runs: number; stored: number }> {
  await h.settled()
  return { runs: h.runs.length, stored: await h.stored() }
}

async function assertNothingRan(what: string, since: { runs: number; stored: number }): Promise<void> {
  await h.settled()
  assert.deepEqual(h.runs.slice(since.runs), [], `${what}: no handler ran`)
  assert.equal(await h.stored(), since.stored, `${what}: no inbound message was stored`)
}

/** The close code of a socket, bounded: a connection that never closes fails the test instead of hanging it. */
function closeCode(ws: WebSocket, timeoutMs = 10_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the connection did not close')), timeoutMs)
    ws.once('close', (code) => (clearTimeout(timer), resolve(code)))
  })
}

test('OneBot HTTP event reporting: forged, unsigned and malformed reports get a 4xx with a stable code, and run nothing', async () => {
  const since = await mark()
  const cases = httpEventCases()
  assert.ok(cases.length >= 60, `${cases.length} cases`)
  const wrong: string[] = []
  for (const c of cases) assertAnswer(c.name, await h.report(c.body, c.headers, c.method, c.raw), c.status, c.code, wrong)
  assert.deepEqual(wrong, [])
  assert.equal((await fetch(`${h.t.url}/onebot/v11/http/nope`, { method: 'POST', body: '{}' })).status, 405, 'an instance that does not exist: the web UI refuses a POST')
  await assertNothingRan('reports', since)
  const refused = h.t.logs.filter((l) => l.msg === 'OneBot HTTP event refused')
  assert.ok(refused.some((l) => l.reason === 'SIGNATURE_INVALID') && refused.some((l) => l.reason === 'UNAUTHORIZED') && refused.some((l) => l.reason === 'SIGNATURE_MALFORMED'))
  await h.probeRunsOnce('qqhttp', 1001, probes(h).report)
})

test('reverse WebSocket: forged and malformed handshakes are refused with a 4xx and logged; a good bot is still served', async () => {
  const since = await mark()
  const cases = handshakeCases(h.reversePath)
  const wrong: string[] = []
  for (const c of cases) {
    const r = await rawRequest(h.port, c.head, 5000)
    if (!c.status.includes(r.status)) wrong.push(`${c.name}: ${r.status} (want ${c.status.join(' or ')}) ${r.body.slice(0, 80)}`)
  }
  assert.deepEqual(wrong, [])
  assert.equal((await h.t.request('/readyz')).json().links.qqrev.state, 'down', 'no forged bot got bound')
  const logged = h.t.logs.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('reverse WebSocket refused'))
  assert.ok(logged.some((l) => l.reason === 'wrong access token') && logged.some((l) => l.reason === 'no access token'), JSON.stringify(logged.slice(0, 3)))
  assert.ok(h.t.logs.some((l) => l.msg === 'WebSocket upgrade refused: no adapter takes it'), 'a bot bound to no instance is logged')
  await assertNothingRan('handshakes', since)
  const bot = await h.reverse()
  try {
    await h.probeRunsOnce('qqrev', 2001, async (id) => bot.send(probeEvent(id)))
  } finally {
    await bot.close()
  }
})

test('reverse WebSocket: malformed and foreign frames after a good handshake run nothing and leave the connection up', async () => {
  for (const closing of [undefined, ...closingFrames()]) {
    const bot = await h.reverse()
    const since = await mark()
    try {
      if (!closing) {
        for (const f of badFrames()) bot.ws.send(f.data, { binary: !!f.binary })
        await assertNothingRan('frames', since)
        assert.equal(bot.ws.readyState, bot.ws.OPEN, 'the connection is still up')
        assert.ok(h.t.logs.some((l) => l.msg === 'malformed OneBot event ignored' && l.why === 'binary frame'))
      } else {
        // Frames the WebSocket layer refuses close the connection; the bot connects again (next round) and is served.
        const closed = closeCode(bot.ws)
        bot.ws.send(closing.data, { binary: false })
        assert.ok([closing.code, 1006].includes(await closed), closing.name)
        await assertNothingRan(closing.name, since)
        continue
      }
      await h.probeRunsOnce('qqrev', 2002, async (id) => bot.send(probeEvent(id)))
    } finally {
      await bot.close()
    }
  }
  const again = await h.reverse()
  try {
    await h.probeRunsOnce('qqrev', 2003, async (id) => again.send(probeEvent(id)))
  } finally {
    await again.close()
  }
})

test('forward WebSocket: the implementation sends the same malformed frames; hookcat runs nothing and stays connected', async () => {
  const since = await mark()
  const client = h.napcat.clients[0]
  for (const f of badFrames()) client.send(f.data, { binary: !!f.binary })
  await assertNothingRan('frames', since)
  assert.deepEqual(h.napcat.clients, [client], 'the same connection')
  await h.probeRunsOnce('qqfwd', 3001, probes(h).forward)
  for (const closing of closingFrames()) {
    const since = await mark()
    const c = h.napcat.clients[0]
    const closed = closeCode(c)
    c.send(closing.data, { binary: false })
    // hookcat's side ends the connection (the close code, or 1006 when it drops the socket at once) and connects again.
    assert.ok([closing.code, 1006].includes(await closed), closing.name)
    await assertNothingRan(closing.name, since)
    await waitFor(() => h.napcat.clients.length === 1, `hookcat connected again after ${closing.name}`, 10_000)
  }
  await h.probeRunsOnce('qqfwd', 3002, probes(h).forward)
})

test('CQ-code strings: escapes, unterminated and huge codes become plain text, never a command, without stalling the host', async () => {
  const bot = await h.reverse()
  try {
    const cases = cqCases()
    const started = performance.now()
    for (const [i, c] of cases.entries()) bot.send({ ...probeEvent(4000 + i), message: c.message, raw_message: c.message })
    await waitFor(() => h.runs.filter((r) => r.messageId.startsWith('40') && r.messageId.length === 4).length >= cases.length, 'the CQ messages', 10_000)
    await h.settled()
    assert.ok(performance.now() - started < 5000, `${Math.round(performance.now() - started)} ms`)
    for (const [i, c] of cases.entries()) {
      const seen = h.runs.filter((r) => r.messageId === String(4000 + i))
      assert.deepEqual(seen.map((r) => r.kind), ['message'], `${JSON.stringify(c.message.slice(0, 30))}: only the message handler ran`)
      assert.equal(seen[0].text, c.text.slice(0, 20_000), JSON.stringify(c.message.slice(0, 30)))
    }
  } finally {
    await bot.close()
  }
})

test('Telegram: updates without the secret token or with a wrong one are refused and logged; malformed ones get a 400; unknown kinds run nothing', async () => {
  const since = await mark()
  const cases = telegramCases()
  const wrong: string[] = []
  for (const c of cases) assertAnswer(c.name, await h.update(c.body, c.headers, c.method, c.raw), c.status, c.code, wrong)
  assert.deepEqual(wrong, [])
  await assertNothingRan('updates', since)
  const refused = h.t.logs.filter((l) => l.msg === 'Telegram update refused')
  assert.ok(refused.some((l) => l.reason === 'no secret token') && refused.some((l) => l.reason === 'wrong secret token'))
  await h.probeRunsOnce('tg', 5001, probes(h).telegram)
})

test('afterwards: the host is healthy, every path still serves, and no log line holds a secret or a forged credential', async () => {
  assert.equal((await h.t.request('/healthz')).status, 200)
  assert.equal(h.t.logs.filter((l) => l.msg === 'request failed' || l.msg === 'WebSocket upgrade failed').length, 0, 'no unexpected error')
  await h.probeRunsOnce('qqhttp', 6001, probes(h).report)
  await h.probeRunsOnce('qqfwd', 6002, probes(h).forward)
  await h.probeRunsOnce('tg', 6003, probes(h).telegram)
  h.assertLogsClean()
})
