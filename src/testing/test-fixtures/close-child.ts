// Child process for close.test.ts: uses a test host fully, closes it, and must then exit on its own.
import { existsSync } from 'node:fs'
import { createClock, createTestHost } from '../index.js'
import { definePlugin } from '../../index.js'

const echo = definePlugin({
  name: 'echo',
  version: '1.0.0',
  setup(plugin) {
    plugin.setInterval(() => undefined, 60_000)
    plugin.mountWebhook('/sync', async () => plugin.send('test-a', 'sync'), { public: true })
    plugin.mountWebhook('/async', async () => plugin.send('test-b', 'async'), { public: true, mode: 'async' })
  },
})
const clock = createClock()
const t = await createTestHost({ plugins: [echo], builtins: true, clock })
await t.webhook('echo', '/sync', { body: {} })
const accepted = await t.webhook('echo', '/async', { body: {} })
await t.settled(accepted.json().id)
await t.sent.waitFor(2)
await t.send.github('echo', '/sync', 'ping', { zen: 'x' }, { secret: 's' })
await clock.advance(1000)
await t.close()
// The parent checks that the folder is gone and that this process ends without process.exit().
process.stdout.write(JSON.stringify({ dir: t.dir, dirLeft: existsSync(t.dir) }) + '\n')
