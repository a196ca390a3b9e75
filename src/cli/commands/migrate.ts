// `hookcat migrate`: brings the storage schema up to date, naming each migration it applies.
import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import type { Command } from 'commander'
import { describeStorage } from '../banner.js'
import { loadCliConfig } from '../config.js'

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('apply pending storage migrations (serve also does this on start)')
    .addHelpText(
      'after',
      `
Examples:
  hookcat migrate
  HOOKCAT_STORAGE=postgres://hookcat@127.0.0.1/hookcat hookcat migrate`,
    )
    .action(async (_options: unknown, command: Command) => {
      const cli = loadCliConfig(command, undefined, { readOnly: true })
      const { storage: url } = cli.config
      // A first migrate on a fresh machine creates the SQLite file's folder, as serve would.
      if (url.startsWith('sqlite:')) mkdirSync(dirname(resolve(cli.baseDir, url.slice('sqlite:'.length))), { recursive: true })
      const { createStorage } = await import('../../storage/index.js')
      const storage = createStorage(url, cli.baseDir)
      process.stdout.write(`migrating ${describeStorage(url)} …\n`)
      const applied = await storage.migrate()
      for (const name of applied) process.stdout.write(`  applied ${name}\n`)
      process.stdout.write(applied.length ? `done: ${applied.length} migration(s) applied\n` : 'nothing to do: the schema is up to date\n')
    })
}
