// `hookcat serve`: starts the server (webhooks, admin API, web UI) and prints where everything is.
import type { Command } from 'commander'
import { loadCliConfig } from '../config.js'
import { parsePort } from '../options.js'

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
      // Loaded here, not at the top, so that other commands and --help start without the whole server.
      const [{ startServer }, { serveBanner }, { stopOnSignals }] = await Promise.all([import('../server.js'), import('../banner.js'), import('../signals.js')])
      const host = await startServer(cli)
      // Already serving: the banner waits a moment for the adapters' reachability checks, never longer.
      await host.probes.settled(3000)
      process.stdout.write(serveBanner(host, cli))
      stopOnSignals(host)
    })
}
