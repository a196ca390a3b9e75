// `hookcat migrate` (being built).
import type { Command } from 'commander'

export function registerMigrate(program: Command): void {
  program.command('migrate').description('(being built)')
}
