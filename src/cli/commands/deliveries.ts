// `hookcat deliveries`: the most recent webhook deliveries, read from storage directly (the server need not run).
import { Option, type Command } from 'commander'
import { DELIVERY_OUTCOMES, type DeliveryOutcome, type DeliveryRow, type DeliveryStatus, type RefusalCount } from '../../storage/types.js'
import { loadCliConfig } from '../config.js'
import { parsePositiveInt } from '../options.js'
import { formatTable } from '../table.js'

const STATUSES: DeliveryStatus[] = ['received', 'queued', 'processing', 'done', 'failed', 'rejected']

export function registerDeliveries(program: Command): void {
  program
    .command('deliveries')
    .description('list recent webhook deliveries, newest first')
    .option('--plugin <name>', 'only this plugin')
    .addOption(new Option('--status <status>', 'only deliveries in this state').choices(STATUSES))
    .option('--event <type>', "only this sender's event type (push, pull_request, firing, …)")
    .addOption(new Option('--outcome <outcome>', 'only deliveries that came to this').choices([...DELIVERY_OUTCOMES]))
    .option('-n, --limit <n>', 'how many to show', parsePositiveInt, 20)
    .option('--json', 'print JSON for machines (bodies left out)')
    .option('--refusals', 'show the counts of refused requests (bad signature, missing secret, …) by plugin, route and reason')
    .addHelpText(
      'after',
      `
Examples:
  hookcat deliveries
  hookcat deliveries --plugin github --status failed --limit 50
  hookcat deliveries --event push --outcome ignored
  hookcat deliveries --json
  hookcat deliveries --refusals`,
    )
    .action(async (options: { plugin?: string; status?: DeliveryStatus; event?: string; outcome?: DeliveryOutcome; limit: number; json?: boolean; refusals?: boolean }, command: Command) => {
      const cli = loadCliConfig(command, undefined, { readOnly: true })
      const { createStorage } = await import('../../storage/index.js')
      const storage = createStorage(cli.config.storage, cli.baseDir)
      await storage.open()
      try {
        if (options.refusals) {
          printRefusals(await storage.refusalCounts(options.plugin), options.json)
          return
        }
        const rows = await storage.listDeliveries({ plugin: options.plugin, status: options.status, event: options.event, outcome: options.outcome, limit: options.limit })
        if (options.json) {
          process.stdout.write(`${JSON.stringify(rows.map(deliveryJson), null, 2)}\n`)
          return
        }
        if (rows.length === 0) {
          process.stdout.write('No deliveries found.\n')
          return
        }
        process.stdout.write(`${formatTable(['ID', 'RECEIVED', 'PLUGIN', 'EVENT', 'METHOD', 'PATH', 'MODE', 'STATUS', 'OUTCOME', 'HTTP', 'TIME', 'REASON'], rows.map(deliveryCells))}\n`)
        const refused = (await storage.refusalCounts(options.plugin)).reduce((n, r) => n + r.count, 0)
        if (refused > 0) process.stdout.write(`${refused} refused requests counted; only a sample is listed (hookcat deliveries --refusals)\n`)
      } finally {
        await storage.close()
      }
    })
}

/** Refusals are counted, not stored one by one: this is where the counts show. */
function printRefusals(counts: RefusalCount[], json: boolean | undefined): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(counts, null, 2)}\n`)
    return
  }
  if (counts.length === 0) {
    process.stdout.write('No refused requests counted.\n')
    return
  }
  const when = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19)
  process.stdout.write(`${formatTable(['PLUGIN', 'ROUTE', 'REASON', 'HTTP', 'COUNT', 'FIRST', 'LAST'], counts.map((c) => [c.plugin, c.route, c.reason, String(c.status), String(c.count), when(c.firstAt), when(c.lastAt)]))}\n`)
}

function deliveryCells(row: DeliveryRow): string[] {
  return [
    row.id,
    new Date(row.receivedAt).toISOString().replace('T', ' ').slice(0, 19),
    row.plugin,
    row.event ?? '-',
    row.method,
    row.path,
    row.mode,
    row.status,
    row.outcome,
    row.responseStatus === null ? '-' : String(row.responseStatus),
    row.durationMs === null ? '-' : `${row.durationMs}ms`,
    (row.outcomeReason ?? row.error ?? '').replace(/\s+/g, ' ').slice(0, 60),
  ]
}

/** The row without the raw body (bytes do not belong in a listing); headers are stored redacted already. */
function deliveryJson(row: DeliveryRow): Omit<DeliveryRow, 'body'> {
  const { body: _body, ...rest } = row
  return rest
}
