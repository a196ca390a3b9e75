// The console adapter: prints each message (console-<anything>) as one headline line and the body indented, for trying hookcat out.
import { z } from 'zod'
import type { Message } from '../../host/messages.js'
import { defineAdapter } from '../../host/outbox/adapter.js'
import { cleanMessage } from '../render/clean.js'
import { compose } from '../render/compose.js'
import { plain } from '../render/dialects.js'
import { renderParts, stringTarget } from '../render/layout.js'

/** Body lines start with this, never with "{" or a timestamp: a message cannot pass for a line of the JSON log. */
export const CONSOLE_INDENT = '  │ '

/** The lines printed for a message: "[console-ops] headline", then each further line indented. */
export function consoleText(prefix: string, input: Message): string {
  const [text] = renderParts(compose(cleanMessage(input)), stringTarget(plain, 'chars'), { limit: Number.MAX_SAFE_INTEGER, maxParts: 1 })
  const [first, ...rest] = text.split('\n').filter((l, i, all) => l !== '' || (i > 0 && i < all.length - 1))
  return [`[${prefix}] ${first ?? ''}`, ...rest.map((l) => (l === '' ? CONSOLE_INDENT.trimEnd() : CONSOLE_INDENT + l))].join('\n') + '\n'
}

export const consoleAdapter = defineAdapter({
  type: 'console',
  description: 'Prints messages to standard output, or as records of the log',
  config: z
    .object({
      type: z.literal('console').optional(),
      stream: z.enum(['stdout', 'stderr', 'log']).default('stdout').describe('stdout/stderr: readable lines; log: one record of the JSON log per message'),
    })
    .strict(),
  create(settings, context) {
    return {
      name: context.name,
      type: 'console',
      async send(channel, message) {
        const prefix = `${context.name}-${channel}`
        if (settings.stream === 'log') {
          // A record of the log: pino serialises the text, so nothing in it can end the record or start another.
          context.logger.info({ chat: prefix, message: cleanMessage(message) }, 'console message')
          return
        }
        ;(settings.stream === 'stderr' ? process.stderr : process.stdout).write(consoleText(prefix, message))
      },
    }
  },
})
