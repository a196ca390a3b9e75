// The GitHub built-in: signed events, routed by repository or organisation to chats, filtered, as short messages with a link.
import { definePlugin, HookcatError, reply, verify, z } from '../../index.js'
import { rotatingSecret } from '../shared/secret-field.js'
import { answerRouteQueries, deliver, readEventBody } from '../shared/forge.js'
import { localeField } from '../shared/locale.js'
import { stateOrderFor, statusRank } from '../shared/ordering.js'
import { routingFields } from '../shared/routing.js'
import { Templates } from '../shared/template.js'
import { runOutcomesFor } from '../shared/runs.js'
import { githubFacts, runState } from './facts.js'
import { formatGithub } from './format/index.js'
import { forgeMentions, withMentions } from '../shared/people.js'

const EVENT = /^[a-z0-9_]{1,64}$/

export default definePlugin({
  name: 'github',
  version: '1.0.0',
  description: 'GitHub webhooks (JSON or form) as chat messages: routing by repository or organisation, filters, quiet CI defaults, zh-CN and en.',
  config: z.object({
    webhookSecret: rotatingSecret()
      .optional()
      .describe('The secret set in GitHub; a list during rotation'),
    locale: localeField,
    ...routingFields,
  }),
  setup(plugin) {
    answerRouteQueries(plugin, () => plugin.config)
    const order = stateOrderFor(plugin)
    const noteRun = runOutcomesFor(plugin)
    const templates = new Templates(plugin.logger, plugin.config)

    plugin.mountWebhook(
      '/github',
      async (req) => {
        const event = req.headers.get('x-github-event') ?? ''
        if (!EVENT.test(event)) throw new HookcatError('VALIDATION_FAILED', 'The X-GitHub-Event header is missing or malformed')
        const payload = await readEventBody(req)
        const run = runState(event, payload)
        const rank = run ? statusRank(run.status) : 0
        // Events of one run can arrive out of order: an older state than the one already seen is dropped.
        if (run && rank > 0 && !(await order.advance(run.key, rank, req.deliveryId))) {
          return reply.ignored(`stale state "${run.status}"`, { event })
        }
        const facts = githubFacts(event, payload)
        // Every finished run is noted (sent or not), so that the next success of its workflow and branch knows it fixes one.
        const fixed = await noteRun(facts.run, req.deliveryId)
        const result = await deliver(plugin, plugin.config, facts, () => withMentions(formatGithub(event, payload, plugin.config.locale, { fixed }), forgeMentions('github', event, payload)), { templates, payload, locale: plugin.config.locale })
        return event === 'ping' ? { ...result, message: 'pong' } : result
      },
      {
        methods: ['POST'],
        mode: 'async',
        verify: verify.github('webhookSecret'),
        bodyLimit: 25 * 1024 * 1024,
        // Events of one repository (or organisation, for its hooks) reach the chats in the order GitHub sent them.
        orderingKey: { headers: ['x-github-hook-installation-target-type', 'x-github-hook-installation-target-id'] },
        description: 'GitHub webhook (content type JSON or form); secret: webhookSecret',
      },
    )
  },
})
