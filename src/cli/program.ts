// Builds the commander program: global options and every command from commands/index.ts.
import { Command, Option } from 'commander'
import { VERSION } from '../util/version.js'
import { commands } from './commands/index.js'

export function buildProgram(): Command {
  const program = new Command('hookcat')
    .description('Webhooks into chat: a plugin host that verifies, stores and delivers webhook events to chat sessions.')
    .version(VERSION, '-V, --version')
    .addOption(new Option('-c, --config <file>', 'config file (default: ./hookcat.yaml)').env('HOOKCAT_CONFIG'))
    .showHelpAfterError('(run with --help for usage)')
  for (const register of commands) register(program)
  return program
}
