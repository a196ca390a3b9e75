// `hookcat send <chat_key> <text>`: sends a message through the running server's outbox (admin API).
import type { Command } from 'commander'
import { parseChatKey } from '../../host/outbox/chat-key.js'
import { adminRequest, adminTarget } from '../admin-client.js'
import { loadCliConfig } from '../config.js'
import { CliError } from '../errors.js'

export function registerSend(program: Command): void {
  program
    .command('send')
    .description('send a message to a chat through the running server (durable: it goes through the outbox)')
    .argument('<chat_key>', 'where to: <adapter>-<channel>, e.g. onebot_v11-group_123456 or console-test')
    .argument('<text>', 'the message text')
    .option('--server <url>', 'the running server (default: http://127.0.0.1:<server.port>)')
    .addHelpText(
      'after',
      `
The admin token comes from server.adminToken or <dataDir>/admin-token.

Examples:
  hookcat send console-test "hello from hookcat"
  hookcat send onebot_v11-group_123456 "deploy finished"
  hookcat send web-ops "visible in the web UI's chat view"`,
    )
    .action(async (chatKey: string, text: string, options: { server?: string }, command: Command) => {
      try {
        parseChatKey(chatKey)
      } catch (error) {
        throw new CliError((error as Error).message)
      }
      if (text.trim() === '') throw new CliError('the message text is empty')
      const cli = loadCliConfig(command, undefined, { readOnly: true })
      const answer = (await adminRequest(adminTarget(cli, options.server), 'POST', '/send', { chatKey, message: text })) as { id?: string } | undefined
      process.stdout.write(`queued message ${answer?.id ?? '(no id returned)'} for ${chatKey}\n`)
    })
}
