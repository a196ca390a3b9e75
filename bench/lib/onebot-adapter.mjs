// A minimal OneBot v11 HTTP adapter for the bench, used only while hookcat has no onebot_v11 adapter of its own.
import { Agent, request } from 'node:http'
import { defineAdapter, SendError, z } from '../../dist/index.js'

export const benchOnebot = defineAdapter({
  type: 'onebot_v11',
  description: 'OneBot v11 over HTTP (bench stand-in)',
  config: z.object({ type: z.literal('onebot_v11').optional(), url: z.string(), rateLimit: z.unknown().optional() }).strict(),
  create(settings, context) {
    const base = new URL(settings.url)
    const agent = new Agent({ keepAlive: true, maxSockets: 64 })
    return {
      name: context.name,
      type: 'onebot_v11',
      checkChannel: (channel) => (/^(group|private)_\d+$/.test(channel) ? undefined : 'the channel must be group_<id> or private_<id>'),
      send(channel, message) {
        const [kind, id] = channel.split('_')
        const body = JSON.stringify(kind === 'group' ? { group_id: Number(id), message: message.text } : { user_id: Number(id), message: message.text })
        return new Promise((resolve, reject) => {
          const req = request(
            { agent, host: base.hostname, port: base.port, method: 'POST', path: `/send_${kind}_msg`, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
            (res) => {
              let text = ''
              res.setEncoding('utf8')
              res.on('data', (c) => (text += c))
              res.on('end', () => {
                if (res.statusCode !== 200) return reject(new SendError(`HTTP ${res.statusCode}`, { retryable: res.statusCode >= 500, httpStatus: res.statusCode }))
                const answer = JSON.parse(text)
                if (answer.status !== 'ok') return reject(new SendError(`retcode ${answer.retcode}`, { retryable: false }))
                resolve()
              })
            },
          )
          req.on('error', (e) => reject(new SendError(e.message, { retryable: true })))
          req.end(body)
        })
      },
    }
  },
})
