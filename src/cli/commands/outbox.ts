// `hookcat outbox`: chat messages by state, one message with its attempts, retry or discard of dead letters (admin API).
import { Option, type Command } from 'commander'
import type { OutboxAttempt, OutboxState } from '../../storage/types.js'
import { adminRequest, adminTarget } from '../admin-client.js'
import { loadCliConfig } from '../config.js'
import { CliError } from '../errors.js'
import { parsePositiveInt } from '../options.js'
import { formatTable } from '../table.js'

const STATES: OutboxState[] = ['pending', 'sending', 'delivered', 'dead', 'discarded', 'carried']

interface MessageView {
  id: string
  chatKey: string
  message: { text?: string; title?: string }
  plugin: string | null
  state: OutboxState
  attempts: number
  createdAt: number
  nextAttemptAt: number
  deliveredAt: number | null
  lastError: string | null
}

const time = (ms: number | null): string => (ms === null ? '-' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19))
const oneLine = (s: string | null | undefined, n: number): string => (s ?? '').replace(/\s+/g, ' ').slice(0, n)

function checkId(id: string): string {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(id)) throw new CliError(`"${id.slice(0, 40)}" is not a message id (see hookcat outbox list)`)
  return encodeURIComponent(id)
}

export function registerOutbox(program: Command): void {
  const outbox = program
    .command('outbox')
    .description('chat messages waiting, delivered or dead; retry or discard dead letters (through the running server)')
    .option('--server <url>', 'the running server (default: http://127.0.0.1:<server.port>)')
    .addHelpText(
      'after',
      `
Examples:
  hookcat outbox list --state dead
  hookcat outbox show <id>
  hookcat outbox retry <id>
  hookcat outbox discard <id>`,
    )
  const target = (command: Command) => adminTarget(loadCliConfig(command, undefined, { readOnly: true }), (command.optsWithGlobals() as { server?: string }).server)

  outbox
    .command('list', { isDefault: true })
    .description('messages, newest first')
    .addOption(new Option('--state <state>', 'only messages in this state').choices(STATES))
    .option('--chat <chat_key>', 'only this chat')
    .option('-n, --limit <n>', 'how many to show', parsePositiveInt, 20)
    .option('--json', 'print JSON for machines')
    .action(async (options: { state?: OutboxState; chat?: string; limit: number; json?: boolean }, command: Command) => {
      const params = new URLSearchParams({ limit: String(options.limit) })
      if (options.state) params.set('state', options.state)
      if (options.chat) params.set('chatKey', options.chat)
      const answer = (await adminRequest(target(command), 'GET', `/outbox?${params}`)) as { messages?: MessageView[] } | undefined
      const rows = answer?.messages ?? []
      if (options.json) return void process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`)
      const cells = rows.map((m) => [m.id, time(m.createdAt), m.chatKey, m.state, String(m.attempts), oneLine(m.message?.title ?? m.message?.text, 40), oneLine(m.lastError, 60)])
      process.stdout.write(rows.length === 0 ? 'No messages found.\n' : `${formatTable(['ID', 'CREATED', 'CHAT', 'STATE', 'TRIES', 'MESSAGE', 'LAST ERROR'], cells)}\n`)
      // Muted chats hold their messages: say so, with how many each holds (see hookcat mute).
      const { mutes = [] } = ((await adminRequest(target(command), 'GET', '/mutes')) as { mutes?: Array<{ chatKey: string; until: number; held: number }> }) ?? {}
      for (const m of mutes) process.stdout.write(`muted: ${m.chatKey} until ${time(m.until)} UTC, ${m.held} held\n`)
    })

  outbox
    .command('show')
    .description('one message and every attempt to deliver it')
    .argument('<id>', 'the message id')
    .option('--json', 'print JSON for machines')
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      const answer = (await adminRequest(target(command), 'GET', `/outbox/${checkId(id)}`)) as { message: MessageView; attempts: OutboxAttempt[] }
      if (options.json) return void process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`)
      const m = answer.message
      const lines = [
        `id:         ${m.id}`,
        `chat:       ${m.chatKey}`,
        `plugin:     ${m.plugin ?? '-'}`,
        `state:      ${m.state}`,
        `created:    ${time(m.createdAt)}`,
        `delivered:  ${time(m.deliveredAt)}`,
        m.state === 'pending' ? `next try:   ${time(m.nextAttemptAt)}` : undefined,
        `last error: ${m.lastError ?? '-'}`,
        `text:       ${oneLine(m.message?.text, 200)}`,
        '',
      ].filter((l): l is string => l !== undefined)
      const attempts = answer.attempts.map((a, i) => [String(i + 1), time(a.at), a.ok ? 'ok' : 'failed', a.httpStatus === null ? '-' : String(a.httpStatus), `${a.durationMs}ms`, oneLine(a.error, 80)])
      process.stdout.write(`${lines.join('\n')}\n${attempts.length ? formatTable(['#', 'AT', 'RESULT', 'HTTP', 'TIME', 'ERROR'], attempts) : 'No attempts yet.'}\n`)
    })

  for (const action of ['retry', 'discard'] as const) {
    outbox
      .command(action)
      .description(action === 'retry' ? 'send a dead letter again from where it stopped' : 'drop a dead letter for good (kept as discarded)')
      .argument('<id>', 'the message id')
      .action(async (id: string, _options: unknown, command: Command) => {
        await adminRequest(target(command), 'POST', `/outbox/${checkId(id)}/${action}`)
        process.stdout.write(`${action === 'retry' ? 'retrying' : 'discarded'} ${id}\n`)
      })
  }
}
