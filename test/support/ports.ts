// Free TCP ports for tests whose config must name its port, chosen outside the kernel's ephemeral range.
import { createServer } from 'node:net'
import { readFileSync } from 'node:fs'

/**
 * Ports handed out by listen(0) come from the ephemeral range, which outgoing connections of every other process on
 * the machine also draw from: between our close() and the server's listen() one of them can take the port. Below that
 * range only listeners compete, so a random port there that binds now is very likely still free a moment later.
 */
function ephemeralStart(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number)
    return Number.isInteger(low) && low > 20_000 ? low : 32_768
  } catch {
    return 32_768
  }
}

const LOW = 20_000
const HIGH = ephemeralStart()

function tryListen(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(undefined))
    server.listen(port, '127.0.0.1', () => {
      const bound = (server.address() as { port: number }).port
      server.close(() => resolve(bound))
    })
  })
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = await tryListen(LOW + Math.floor(Math.random() * (HIGH - LOW)))
    if (port !== undefined) return port
  }
  const port = await tryListen(0)
  if (port === undefined) throw new Error('no free TCP port on 127.0.0.1')
  return port
}
