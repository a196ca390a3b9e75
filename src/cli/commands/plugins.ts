// `hookcat plugins`: every plugin, enabled or not, with version, state and full webhook URLs (from server.publicUrl).
import type { Command } from 'commander'
import { loadCliConfig } from '../config.js'

export function registerPlugins(program: Command): void {
  program
    .command('plugins')
    .description('list every plugin (enabled or not) with its version, state and full webhook URLs')
    .option('--json', 'print JSON for machines')
    .addHelpText(
      'after',
      `
Webhook URLs are built from server.publicUrl (or the local address when it is not set).

Examples:
  hookcat plugins
  hookcat plugins --json | jq '.plugins[].webhooks[].url'`,
    )
    .action(async (options: { json?: boolean }, command: Command) => {
      const cli = loadCliConfig(command, undefined, { readOnly: true })
      const [{ createCliHost, quietLogger }, { formatPlugins, formatSubscriptions, pluginViews }, { listSubscriptions }] = await Promise.all([
        import('../host.js'),
        import('../plugin-list.js'),
        import('../../plugins/shared/subscriptions.js'),
      ])
      // Loads plugins the way `serve` would, without listening or resuming any work. With secrets left out of this
      // shell's environment, a plugin that needs one is shown as failed instead of stopping the listing.
      const host = createCliHost(cli, { listen: false, logger: quietLogger(), strictConfig: cli.omittedEnv.length === 0, tolerateAdapters: cli.omittedEnv.length > 0 })
      try {
        await host.start()
        const views = pluginViews(host.registry.list(), (p, path) => host.webhookUrl(p, path))
        const subscriptions = await listSubscriptions()
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ publicUrl: host.publicUrl, plugins: views, subscriptions, loadProblems: host.loadProblems }, null, 2)}\n`)
        } else {
          process.stdout.write(`Plugins (webhook URLs under ${host.publicUrl}):\n${formatPlugins(views, host.loadProblems)}\n`)
          process.stdout.write(`\nChat subscriptions (/hookcat subscribe):\n${formatSubscriptions(subscriptions)}\n`)
          if (cli.omittedEnv.length) process.stdout.write(`\nNot set in this shell (left out; serve needs them):\n${cli.omittedEnv.map((line) => `  ${line}`).join('\n')}\n`)
          if (host.skippedAdapters.length) process.stdout.write(`\nAdapters left out here for want of those settings:\n${host.skippedAdapters.map((line) => `  ${line}`).join('\n')}\n`)
        }
      } finally {
        await host.stop()
      }
    })
}
