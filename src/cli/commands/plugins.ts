// `hookcat plugins` (being built).
import type { Command } from 'commander'

export function registerPlugins(program: Command): void {
  program.command('plugins').description('(being built)')
}
