// `hookcat deliveries` (being built).
import type { Command } from 'commander'

export function registerDeliveries(program: Command): void {
  program.command('deliveries').description('(being built)')
}
