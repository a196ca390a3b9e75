// A hookcat host for the crash test, run as its own process (so that it can be SIGKILLed): config JSON in argv[2].
import { readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { builtinAdapters } from '../../src/adapters/index.js'
import { parseConfig } from '../../src/config/load.js'
import { Host } from '../../src/host/host.js'
import { definePlugin } from '../../src/index.js'
import { createLogger } from '../../src/util/logger.js'

const file = process.argv[2]
const config = parseConfig(JSON.parse(readFileSync(file, 'utf8')), { env: process.env })

/** Each event becomes one message to the chat it names: "evt <chat> <n>". */
const crashPlugin = definePlugin({
  name: 'crash',
  version: '1.0.0',
  setup(plugin) {
    plugin.mountWebhook(
      '/event',
      async (req) => {
        const body = await req.json<{ chat: number; n: number }>()
        await plugin.send(`qq-group_${100000 + body.chat}`, `evt ${body.chat} ${body.n}`)
        return { ok: true }
      },
      { methods: ['POST'], mode: 'async', public: true, dedup: { header: 'idempotency-key' } },
    )
  },
})

// --standby: everything is loaded, then it waits for a line on stdin before it opens storage: the test keeps the next
// process warm, so that a restart after a kill costs the recovery itself, not seconds of module loading.
if (process.argv[3] === '--standby') {
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()))
}

const host = new Host({ config, plugins: [{ definition: crashPlugin }], adapters: builtinAdapters, baseDir: dirname(file), logger: createLogger({ level: 'error' }) })
await host.start()
process.stdout.write(`READY ${host.port}\n`)
