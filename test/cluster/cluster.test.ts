// Three hookcat processes on one PostgreSQL: 3,000 signed webhooks, one process killed with SIGKILL and restarted; nothing lost, order kept, nothing handled twice.
import assert from 'node:assert/strict'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, test } from 'node:test'
import pg from 'pg'
import { dropSchema, freshSchemaUrl, PG_BASE_URL } from '../support/postgres.js'
import { freePort, post, signedHeaders, startNode, type Node } from './support.js'

const EVENTS = 3000
const CHATS = 30

test('a cluster of three processes on PostgreSQL loses nothing, keeps order per chat and handles nothing twice across a SIGKILL', { timeout: 180_000 }, async () => {
  const { url: base, schema } = freshSchemaUrl()
  const url = new URL(base)
  url.searchParams.set('leaseMs', '10000')
  const storage = url.toString()
  const received = new Map<string, Array<{ n: number; delivery: string }>>()
  const sink = http.createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      const { chat, text, ...meta } = JSON.parse(body) as { chat: string; text: string }
      const message = { ...(JSON.parse(text) as { n: number; delivery: string }), meta }
      // The platform fails about one attempt in ten, so retries and backoff are part of the run.
      if (Math.random() < 0.1) {
        res.writeHead(503).end()
        return
      }
      received.set(chat, [...(received.get(chat) ?? []), message])
      res.writeHead(200).end('{}')
    })
  })
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', () => r()))
  const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/`
  const ports = await Promise.all([freePort(), freePort(), freePort()])
  const nodes: Node[] = []
  // Even if the test is cut off by a timeout, no hookcat process outlives it.
  const killAll = () => nodes.forEach((node) => node.child.kill('SIGKILL'))
  process.once('exit', killAll)
  after(async () => {
    for (const node of nodes) node.child.kill('SIGKILL')
    sink.close()
    await dropSchema(schema)
  })
  for (const port of ports) nodes.push(await startNode(storage, port, sinkUrl))

  const acked = new Set<number>()
  let kills = 0
  let next = 0
  const sendOne = async (n: number): Promise<void> => {
    const body = JSON.stringify({ chat: `c${n % CHATS}`, n, padding: 'x'.repeat(200) })
    const headers = signedHeaders(body, `event-${n}`)
    // A sender retries on another process when one is down, as a load balancer would; the event id stays the same.
    for (let attempt = 0; attempt < 20; attempt++) {
      const node = nodes[(n + attempt) % nodes.length]
      const status = await post(node.port, body, headers)
      if (status === 202) {
        acked.add(n)
        return
      }
      await new Promise((r) => setTimeout(r, 50))
    }
  }
  const worker = async () => {
    while (next < EVENTS) {
      const n = next++
      if (n === 1200 && kills === 0) {
        kills++
        const victim = nodes[1]
        victim.child.kill('SIGKILL')
        setTimeout(() => {
          void startNode(storage, ports[1], sinkUrl).then((node) => (nodes[1] = node))
        }, 300)
      }
      await sendOne(n)
    }
  }
  await Promise.all(Array.from({ length: 24 }, worker))
  assert.equal(acked.size, EVENTS, 'every event was acknowledged by some process')

  const deadline = Date.now() + 90_000
  const distinct = () => new Set([...received.values()].flatMap((list) => list.map((m) => m.n))).size
  while (distinct() < acked.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200))
  assert.equal(distinct(), acked.size, 'every acknowledged event produced a message that arrived')

  const db = new pg.Client({ connectionString: PG_BASE_URL, options: `-c search_path=${schema}` })
  await db.connect()
  try {
    const handled = await db.query("SELECT count(*)::int AS n FROM deliveries WHERE status = 'done'")
    assert.equal(handled.rows[0].n, EVENTS, 'one delivery row per event: duplicates were answered from storage')
    const messages = await db.query('SELECT chat_key, message FROM outbox ORDER BY seq')
    assert.equal(messages.rowCount, EVENTS, 'each event\'s handler committed its message exactly once')
    const committedOrder = new Map<string, number[]>()
    for (const row of messages.rows) {
      const chat = (row.chat_key as string).slice('sink-'.length)
      const text = (JSON.parse(row.message as string) as { text: string }).text
      committedOrder.set(chat, [...(committedOrder.get(chat) ?? []), (JSON.parse(text) as { n: number }).n])
    }
    let duplicates = 0
    for (const [chat, list] of received) {
      const firstSeen: number[] = []
      const seen = new Set<number>()
      for (const m of list) {
        if (seen.has(m.n)) duplicates++
        else {
          seen.add(m.n)
          firstSeen.push(m.n)
        }
      }
      assert.deepEqual(firstSeen, committedOrder.get(chat), `chat ${chat} received its messages in commit order`)
      const again = list.filter((m, i) => list.findIndex((o) => o.n === m.n) !== i).map((m) => m.n)
      if (again.length > kills && process.env.CLUSTER_DEBUG) console.log(JSON.stringify(list.filter((m) => again.includes(m.n))))
      assert.ok(again.length <= kills, `chat ${chat}: at most one message sent again per kill (in flight at the kill); sent again: ${again.join(', ')}`)
    }
    assert.ok(duplicates <= kills * CHATS)
  } finally {
    await db.end()
  }
})
