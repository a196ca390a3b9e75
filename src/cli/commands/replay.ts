// `hookcat replay <id>`: runs a stored delivery through its handler again (through the running server's admin API).
import type { Command } from 'commander'
import { adminRequest, adminTarget } from '../admin-client.js'
import { loadCliConfig } from '../config.js'
import { CliError } from '../errors.js'

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description('run a stored delivery through its handler again; prints the new delivery id')
    .argument('<id>', 'the delivery id (see hookcat deliveries)')
    .option('--server <url>', 'the running server (default: http://127.0.0.1:<server.port>)')
    .addHelpText(
      'after',
      `
Examples:
  hookcat deliveries --plugin github --status failed
  hookcat replay <id>`,
    )
    .action(async (id: string, options: { server?: string }, command: Command) => {
      if (!/^[A-Za-z0-9_-]{1,100}$/.test(id)) throw new CliError(`"${id.slice(0, 40)}" is not a delivery id (see hookcat deliveries)`)
      const cli = loadCliConfig(command, undefined, { readOnly: true })
      const answer = (await adminRequest(adminTarget(cli, options.server), 'POST', `/deliveries/${encodeURIComponent(id)}/replay`)) as { id?: string } | undefined
      process.stdout.write(`replayed ${id} as new delivery ${answer?.id ?? '(no id returned)'}\n`)
    })
}
