// `hookcat new plugin <name>`: writes a plugin folder with a webhook, a config schema with a secret, a test and a README.
import { relative } from 'node:path'
import type { Command } from 'commander'
import { CliError } from '../errors.js'

export function registerNew(program: Command): void {
  const create = program.command('new').description('create something new from a template')
  create
    .command('plugin <name>')
    .description('write plugins/<name>/ with a webhook, a config schema with a secret, a test and a README')
    .option('-d, --dir <folder>', 'plugins folder to write into', 'plugins')
    .addHelpText(
      'after',
      `
Examples:
  hookcat new plugin my-alerts
  hookcat new plugin deploy-bot --dir src/plugins`,
    )
    .action(async (name: string, options: { dir: string }) => {
      const { scaffoldPlugin } = await import('../../dev/scaffold.js')
      let result
      try {
        result = scaffoldPlugin(process.cwd(), name, options.dir)
      } catch (error) {
        throw new CliError((error as Error).message)
      }
      const rel = (p: string) => relative(process.cwd(), p)
      process.stdout.write(
        `Created ${rel(result.dir)}/\n${result.files.map((f) => `  ${rel(f)}\n`).join('')}\nNext:\n  node --import tsx --test ${rel(result.files[1])}\n  hookcat dev    # serves and reloads the plugin when you edit it\n`,
      )
    })
}
