// The console adapter: prints each message to standard output (console-<anything>), for trying hookcat out.
import { z } from 'zod'
import { defineAdapter } from '../../host/outbox/adapter.js'

export const consoleAdapter = defineAdapter({
  type: 'console',
  description: 'Prints messages to standard output',
  config: z.object({ type: z.literal('console').optional(), stream: z.enum(['stdout', 'stderr']).default('stdout') }).strict(),
  create(settings, context) {
    const out = settings.stream === 'stderr' ? process.stderr : process.stdout
    return {
      name: context.name,
      type: 'console',
      async send(channel, message) {
        const title = message.title ? `${message.title}\n` : ''
        out.write(`[${context.name}-${channel}] ${title}${message.text}\n`)
      },
    }
  },
})
