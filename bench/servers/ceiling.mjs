// Benchmark configuration 1, the ceiling: bare node:http that reads the body, checks the HMAC in constant time, parses the JSON, answers 202.
import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer } from 'node:http'

const [port, secret] = process.argv.slice(2)
const HEX = /^[0-9a-f]{64}$/

createServer((req, res) => {
  const chunks = []
  req.on('data', (c) => chunks.push(c))
  req.on('end', () => {
    const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)
    const header = req.headers['x-hub-signature-256']
    const hex = typeof header === 'string' && header.startsWith('sha256=') ? header.slice(7) : ''
    const mac = createHmac('sha256', secret).update(body).digest()
    if (!HEX.test(hex) || !timingSafeEqual(mac, Buffer.from(hex, 'hex'))) {
      res.writeHead(401).end()
      return
    }
    try {
      JSON.parse(body.toString('utf8'))
    } catch {
      res.writeHead(400).end()
      return
    }
    res.writeHead(202, { 'content-type': 'application/json' })
    res.end('{"ok":true}')
  })
}).listen(Number(port), '127.0.0.1', () => process.stdout.write('listening\n'))
