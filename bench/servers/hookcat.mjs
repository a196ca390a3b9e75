// Benchmark configurations 3–6: the built hookcat (dist/) with a GitHub plugin in async mode and a OneBot v11 chat.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { Host } from '../../dist/host/host.js'
import { parseConfig } from '../../dist/config/load.js'
import { builtinAdapters } from '../../dist/adapters/index.js'
import { CHAT, ROUTES } from '../lib/payload.mjs'

const [port, dir, sinkUrl, secretValue] = process.argv.slice(2)

// The real `github` plugin and `onebot_v11` adapter when they exist; the bench's stand-ins until then.
const githubFile = new URL('../../dist/plugins/github/index.js', import.meta.url)
let plugin
let pluginName
if (existsSync(githubFile) && process.env.BENCH_PLUGIN !== 'stand-in') {
  const mod = await import(githubFile.href)
  plugin = mod.default ?? Object.values(mod).find((v) => v && typeof v === 'object' && v.name === 'github')
  pluginName = 'github'
} else {
  plugin = (await import('../lib/plugin.mjs')).benchGithub
  pluginName = 'bench-github'
}
const adapters = [...builtinAdapters]
if (!adapters.some((a) => a.type === 'onebot_v11')) adapters.push((await import('../lib/onebot-adapter.mjs')).benchOnebot)

const config = parseConfig({
  server: { host: '127.0.0.1', port: Number(port) },
  storage: process.env.BENCH_STORAGE || `sqlite:${join(dir, 'hookcat.db')}`,
  dataDir: join(dir, 'data'),
  pluginsDir: join(dir, 'plugins'),
  builtins: false,
  log: { level: 'warn' },
  // The OneBot defaults (10 messages per 10 s per chat, as QQ tolerates) would measure the rate limiter, not hookcat:
  // the bench's endpoint is local and takes anything, so the limits are lifted (100 per ms per chat: a window of 100 slots).
  adapters: { qq: { type: 'onebot_v11', url: sinkUrl, rateLimit: { perChat: { count: 100, interval: 1 }, global: { count: 1000, interval: 1 } } } },
  plugins: { [pluginName]: { config: { webhookSecret: secretValue, notificationChat: CHAT, routes: ROUTES } } },
})
const host = new Host({ config, plugins: [{ definition: plugin }], adapters, baseDir: dir })
await host.start()
process.stdout.write(`${JSON.stringify({ ready: true, plugin: pluginName, webhook: host.webhookUrl(pluginName, '/github') })}\n`)
const stop = () => host.stop().then(() => process.exit(0), () => process.exit(1))
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
// BENCH_MEMLOG=1: where the memory goes, every 5 s on stderr (the bench prints the server's stderr).
if (process.env.BENCH_MEMLOG) {
  const mb = (n) => (n / 1e6).toFixed(0)
  setInterval(() => {
    const m = process.memoryUsage()
    process.stderr.write(`mem rss=${mb(m.rss)} heapTotal=${mb(m.heapTotal)} heapUsed=${mb(m.heapUsed)} external=${mb(m.external)} outbox=${host.outbox.depth} inbox=${host.inbox.backlog}\n`)
  }, 5000).unref()
}
