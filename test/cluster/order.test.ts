// Three hookcat processes on one PostgreSQL: events sent one after another, round-robin through the three, reach the chat in that order.
import assert from 'node:assert/strict'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, test } from 'node:test'
import { dropSchema, freshSchemaUrl } from '../support/postgres.js'
import { freePort, post, signedHeaders, startNode, type Node } from './support.js'

const RUNS = 3
const EVENTS = 300

test('events acknowledged one after another by three processes reach the chat in acknowledgement order, run after run', { timeout: 240_000 }, async () => {
  const { url: base, schema } = freshSchemaUrl()
  const url = new URL(base)
  url.searchParams.set('leaseMs', '10000')
  const storage = url.toString()
  const received = new Map<string, number[]>()
  const sink = http.createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      const { chat, text } = JSON.parse(body) as { chat: string; text: string }
      // The platform fails now and then: a retried send must not let a later message of the chat overtake it.
      if (Math.random() < 0.05) return void res.writeHead(503).end()
      received.set(chat, [...(received.get(chat) ?? []), (JSON.parse(text) as { n: number }).n])
      res.writeHead(200).end('{}')
    })
  })
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', () => r()))
  const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/`
  const nodes: Node[] = []
  const killAll = () => nodes.forEach((node) => node.child.kill('SIGKILL'))
  process.once('exit', killAll)
  after(async () => {
    killAll()
    sink.close()
    await dropSchema(schema)
  })
  const ports = await Promise.all([freePort(), freePort(), freePort()])
  for (const port of ports) nodes.push(await startNode(storage, port, sinkUrl))

  for (let run = 0; run < RUNS; run++) {
    const chat = `ordered-${run}`
    for (let n = 0; n < EVENTS; n++) {
      const body = JSON.stringify({ chat, n })
      // Each event is sent once its predecessor was acknowledged, each time to the next process.
      const status = await post(nodes[n % nodes.length].port, body, signedHeaders(body, `${chat}-${n}`), '/api/plugin/cluster/webhook/ordered')
      assert.equal(status, 202, `event ${n} of run ${run} acknowledged`)
    }
    const deadline = Date.now() + 60_000
    while ((received.get(chat)?.length ?? 0) < EVENTS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
    const list = received.get(chat) ?? []
    assert.deepEqual(list, Array.from({ length: EVENTS }, (_, n) => n), `run ${run}: the chat received every event once, in the order sent`)
  }
})
