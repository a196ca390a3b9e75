// `hookcat dev`: serve, and reload a plugin when its files under plugins/ change; the server, storage and other plugins stay.
import { resolve } from 'node:path'
import type { Command } from 'commander'
import { loadCliConfig } from '../config.js'
import { parsePort } from '../options.js'

export function registerDev(program: Command): void {
  program
    .command('dev')
    .description('serve, and reload a plugin whenever its files under plugins/ change (syntax errors are reported, the previous version keeps serving)')
    .option('-p, --port <n>', 'port to listen on (overrides server.port; 0 picks a free one)', parsePort)
    .option('-H, --host <address>', 'address to listen on (overrides server.host)')
    .addHelpText(
      'after',
      `
Type errors are not checked on reload (that would take seconds): your editor, or \`npx tsc --noEmit\`, shows them.

Examples:
  hookcat dev
  hookcat dev --port 9000`,
    )
    .action(async (options: { port?: number; host?: string }, command: Command) => {
      const cli = loadCliConfig(command, { server: { port: options.port, host: options.host } })
      const [{ startServer }, { serveBanner }, { stopOnSignals }, { watchPlugins }] = await Promise.all([
        import('../server.js'),
        import('../banner.js'),
        import('../signals.js'),
        import('../../dev/watch.js'),
      ])
      const host = await startServer(cli)
      const pluginsDir = resolve(cli.baseDir, cli.config.pluginsDir)
      process.stdout.write(serveBanner(host, cli))
      watchPlugins(host.registry, {
        pluginsDir,
        onReport: (report) => {
          if (report.ok) process.stdout.write(`${report.action} plugin ${report.plugin} (${report.file})\n`)
          else process.stderr.write(`reload of ${report.plugin ?? report.file} failed; the previous version keeps serving:\n  ${report.error.split('\n').join('\n  ')}\n`)
        },
      })
      process.stdout.write(`Watching ${pluginsDir} for changes.\n`)
      stopOnSignals(host)
    })
}
