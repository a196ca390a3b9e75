// `hookcat replay` (being built).
import type { Command } from 'commander'

export function registerReplay(program: Command): void {
  program.command('replay').description('(being built)')
}
