// `hookcat mute <chat_key> <duration>` / `hookcat unmute <chat_key>`: hold a chat's messages for a while (admin API); `hookcat mute` lists mutes.
import type { Command } from 'commander'
import { parseMuteDuration } from '../../host/outbox/quiet.js'
import { adminRequest, adminTarget } from '../admin-client.js'
import { loadCliConfig } from '../config.js'
import { CliError } from '../errors.js'
import { formatTable } from '../table.js'

interface MuteView {
  chatKey: string
  until: number
  held: number
}

const time = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').slice(0, 19)
const target = (command: Command) => adminTarget(loadCliConfig(command), (command.optsWithGlobals() as { server?: string }).server)

export function registerMute(program: Command): void {
  program
    .command('mute')
    .description('hold the messages of a chat for a while (never dropped: sent as a digest when the mute ends); without arguments, list mutes')
    .argument('[chat_key]', 'the chat to mute, e.g. onebot_v11-group_123456')
    .argument('[duration]', 'how long: 30m, 2h, 1d, 1h30m')
    .option('--server <url>', 'the running server (default: http://127.0.0.1:<server.port>)')
    .option('--json', 'print JSON for machines')
    .addHelpText('after', '\nExamples:\n  hookcat mute onebot_v11-group_123456 2h\n  hookcat mute\n  hookcat unmute onebot_v11-group_123456')
    .action(async (chatKey: string | undefined, duration: string | undefined, options: { json?: boolean }, command: Command) => {
      if (chatKey === undefined) {
        const answer = (await adminRequest(target(command), 'GET', '/mutes')) as { mutes: MuteView[] }
        if (options.json) return void process.stdout.write(`${JSON.stringify(answer.mutes, null, 2)}\n`)
        if (answer.mutes.length === 0) return void process.stdout.write('No chat is muted.\n')
        const cells = answer.mutes.map((m) => [m.chatKey, `${time(m.until)} UTC`, String(m.held)])
        return void process.stdout.write(`${formatTable(['CHAT', 'MUTED UNTIL', 'HELD'], cells)}\n`)
      }
      if (duration === undefined) throw new CliError('say for how long, e.g. hookcat mute ' + chatKey + ' 2h')
      if (parseMuteDuration(duration) === undefined) throw new CliError(`"${duration.slice(0, 40)}" is not a duration; write e.g. 30m, 2h, 1d or 1h30m (at most a year)`)
      const mute = (await adminRequest(target(command), 'POST', '/mutes', { chatKey, duration })) as MuteView
      if (options.json) return void process.stdout.write(`${JSON.stringify(mute, null, 2)}\n`)
      process.stdout.write(`muted ${mute.chatKey} until ${time(mute.until)} UTC (${mute.held} held)\n`)
    })

  program
    .command('unmute')
    .description('end the mute of a chat: what it held is sent now, as a digest')
    .argument('<chat_key>', 'the muted chat')
    .option('--server <url>', 'the running server (default: http://127.0.0.1:<server.port>)')
    .action(async (chatKey: string, _options: unknown, command: Command) => {
      await adminRequest(target(command), 'DELETE', `/mutes/${encodeURIComponent(chatKey)}`)
      process.stdout.write(`unmuted ${chatKey}\n`)
    })
}
