// The GitLab built-in: X-Gitlab-Token and/or the signing token, events routed by project or group and filtered.
import { definePlugin, reply, verify, z } from '../../index.js'
import { rotatingSecret } from '../shared/secret-field.js'
import { answerRouteQueries, deliver, readEventBody } from '../shared/forge.js'
import { localeField } from '../shared/locale.js'
import { stateOrderFor, statusRank } from '../shared/ordering.js'
import { routingFields } from '../shared/routing.js'
import { Templates } from '../shared/template.js'
import { runOutcomesFor } from '../shared/runs.js'
import { str } from '../shared/format.js'
import { gitlabEvent, gitlabFacts, projectPath } from './facts.js'
import { forgeMentions, withMentions } from '../shared/people.js'
import { formatGitlab } from './format.js'

export default definePlugin({
  name: 'gitlab',
  version: '1.0.0',
  description: 'GitLab webhooks as chat messages: push, tags, merge requests, issues, notes, pipelines, jobs, releases, deployments, wiki.',
  config: z.object({
    token: rotatingSecret()
      .optional()
      .describe('The "Secret token" of the GitLab webhook (sent as X-Gitlab-Token)'),
    signingToken: rotatingSecret()
      .optional()
      .describe('The "Signing token" (whsec_…) of the GitLab webhook; when set, every request must be signed with it'),
    locale: localeField,
    ...routingFields,
  }),
  setup(plugin) {
    answerRouteQueries(plugin, () => plugin.config)
    const order = stateOrderFor(plugin)
    const noteRun = runOutcomesFor(plugin)
    const templates = new Templates(plugin.logger, plugin.config)

    plugin.mountWebhook(
      '/gitlab',
      async (req) => {
        const payload = await readEventBody(req)
        const event = gitlabEvent(req.headers.get('x-gitlab-event'), payload)
        // Job events can arrive out of order: an older state is dropped. (A retried job gets a new id; a retried
        // pipeline keeps its id and runs again, so pipelines are not ordered.)
        const run = event === 'job' ? { key: `job:${str(payload.build_id)}`, status: str(payload.build_status) } : undefined
        const rank = run ? statusRank(run.status) : 0
        if (run && rank > 0 && !(await order.advance(`${projectPath(payload)}:${run.key}`, rank, req.deliveryId))) {
          return reply.ignored(`stale state "${run.status}"`, { event })
        }
        const facts = gitlabFacts(event, payload)
        // Every finished pipeline and job is noted (sent or not): the next success of its ref knows it fixes one.
        const fixed = await noteRun(facts.run, req.deliveryId)
        return deliver(plugin, plugin.config, facts, () => withMentions(formatGitlab(event, payload, plugin.config.locale, { fixed }), forgeMentions('gitlab', event, payload)), { templates, payload, locale: plugin.config.locale })
      },
      {
        methods: ['POST'],
        mode: 'async',
        verify: verify.gitlab({ token: 'token', signingToken: 'signingToken' }),
        // Events of one webhook (a project's or a group's) reach the chats in the order GitLab sent them.
        orderingKey: { headers: ['x-gitlab-webhook-uuid'] },
        description: 'GitLab webhook; secrets: token (X-Gitlab-Token) and/or signingToken',
      },
    )
  },
})
