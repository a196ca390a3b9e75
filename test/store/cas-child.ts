// One process of the store compare-and-set test: StateOrder and firstSighting on a plugin store in PostgreSQL, given ranks.
import { createStorage } from '../../src/storage/index.js'
import { createPluginStore } from '../../src/host/plugin/store.js'
import { StateOrder } from '../../src/plugins/shared/ordering.js'
import { firstSighting } from '../../src/plugins/shared/alerts.js'

const [url, ranksArg, go] = process.argv.slice(2)
const storage = createStorage(url)
await storage.open()
const store = createPluginStore(storage, 'forge')
const order = new StateOrder(store)
const ranks = ranksArg.split(',').map(Number)
// Every process starts at the same wall-clock moment, so that their read-then-write steps overlap.
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(go) - Date.now())))
const [accepted, sightings] = await Promise.all([
  Promise.all(ranks.map(async (rank) => ((await order.advance('run-1', rank)) ? rank : undefined))),
  Promise.all(ranks.map(() => firstSighting(store, 'notification-1', 60_000))),
])
process.stdout.write(`${JSON.stringify({ accepted: accepted.filter((r) => r !== undefined), first: sightings.filter(Boolean).length })}\n`)
await storage.close()
