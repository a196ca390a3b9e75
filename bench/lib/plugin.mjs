// The bench's stand-in for the built-in `github` plugin: GitHub verification, async mode, a push formatted and sent to a chat.
import { definePlugin, secret, verify, z } from '../../dist/index.js'

function firstLine(text) {
  const nl = text.indexOf('\n')
  return nl < 0 ? text : text.slice(0, nl)
}

/** A push as a chat message: who pushed what where, one line per commit, and the compare link. */
export function formatPush(p) {
  const branch = p.ref.replace(/^refs\/heads\//, '')
  const lines = [`[${p.repository.full_name}] ${p.pusher.name} pushed ${p.commits.length} commit${p.commits.length === 1 ? '' : 's'} to ${branch}`]
  for (const c of p.commits.slice(0, 5)) lines.push(`${c.id.slice(0, 7)} ${firstLine(c.message)} — ${c.author.name}`)
  lines.push(p.compare)
  return { text: lines.join('\n'), link: { url: p.compare, title: 'Compare' } }
}

export const benchGithub = definePlugin({
  name: 'bench-github',
  version: '1.0.0',
  description: 'Benchmark stand-in for the github plugin',
  config: z.object({
    webhookSecret: secret(z.string()),
    notificationChat: z.string(),
    routes: z.array(z.object({ repository: z.string(), chats: z.array(z.string()) })).default([]),
  }),
  setup(plugin) {
    plugin.mountWebhook(
      '/github',
      async (req) => {
        const event = req.headers.get('x-github-event')
        if (event === 'ping') return { message: 'pong' }
        const payload = await req.json()
        if (event === 'push') {
          const route = plugin.config.routes.find((r) => r.repository === payload.repository?.full_name)
          for (const chat of route?.chats ?? [plugin.config.notificationChat]) await plugin.send(chat, formatPush(payload))
        }
        return { status: 'success', event }
      },
      { methods: ['POST'], mode: 'async', verify: verify.github('webhookSecret') },
    )
  },
})
