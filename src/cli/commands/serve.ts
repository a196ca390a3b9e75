// `hookcat serve`: starts the server (webhooks, admin API, web UI) and prints where everything is.
import type { Command } from 'commander'
import { mountAdmin } from '../../admin/index.js'
import { serveBanner } from '../banner.js'
import { loadCliConfig } from '../config.js'
import { CliError } from '../errors.js'
import { createCliHost } from '../host.js'
import { parsePort } from '../options.js'
import { stopOnSignals } from '../signals.js'

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('start hookcat: receive webhooks, deliver messages, serve the admin API and web UI')
    .option('-p, --port <n>', 'port to listen on (overrides server.port; 0 picks a free one)', parsePort)
    .option('-H, --host <address>', 'address to listen on (overrides server.host)')
    .addHelpText(
      'after',
      `
Examples:
  hookcat serve                        # port 8021 (or server.port), ./hookcat.yaml if present
  hookcat serve --port 9000 --host 127.0.0.1
  hookcat --config /etc/hookcat.yaml serve
  HOOKCAT_CONFIG=prod.yaml hookcat serve`,
    )
    .action(async (options: { port?: number; host?: string }, command: Command) => {
      const cli = loadCliConfig(command, { server: { port: options.port, host: options.host } })
      const host = createCliHost(cli)
      mountAdmin(host)
      try {
        await host.start()
      } catch (error) {
        await host.stop().catch(() => undefined)
        const code = (error as NodeJS.ErrnoException).code
        if (code === 'EADDRINUSE') {
          throw new CliError(`port ${cli.config.server.port} on ${cli.config.server.host} is already in use (is hookcat already running?) — choose another with --port or server.port`)
        }
        if (code === 'EACCES') throw new CliError(`not allowed to listen on port ${cli.config.server.port} — choose one above 1023 with --port or server.port`)
        throw error
      }
      process.stdout.write(serveBanner(host, cli))
      stopOnSignals(host)
    })
}
