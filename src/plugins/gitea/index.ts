// The Gitea / Forgejo built-in: signed events (X-Gitea-Signature or X-Forgejo-Signature), routed and filtered like GitHub's.
import { definePlugin, HookcatError, verify, z } from '../../index.js'
import { rotatingSecret } from '../shared/secret-field.js'
import { formatGithub } from '../github/format/index.js'
import { githubFacts } from '../github/facts.js'
import { forgeMentions, withMentions } from '../shared/people.js'
import { answerRouteQueries, deliver, readEventBody } from '../shared/forge.js'
import { localeField } from '../shared/locale.js'
import { routingFields } from '../shared/routing.js'
import { Templates } from '../shared/template.js'
import { runOutcomesFor } from '../shared/runs.js'
import { giteaEvent, normalizeGitea } from './normalize.js'

const EVENT = /^[a-z0-9_]{1,64}$/

export default definePlugin({
  name: 'gitea',
  version: '1.0.0',
  description: 'Gitea and Forgejo webhooks as chat messages: push, issues, comments, pull requests, releases; routing and filters.',
  config: z.object({
    webhookSecret: rotatingSecret()
      .optional()
      .describe('The secret set in Gitea or Forgejo; a list during rotation'),
    locale: localeField,
    ...routingFields,
  }),
  setup(plugin) {
    answerRouteQueries(plugin, () => plugin.config)
    const noteRun = runOutcomesFor(plugin)
    const templates = new Templates(plugin.logger, plugin.config)
    plugin.mountWebhook(
      '/gitea',
      async (req) => {
        const event = giteaEvent(req.headers)
        if (!EVENT.test(event)) throw new HookcatError('VALIDATION_FAILED', 'The X-Gitea-Event (or X-Forgejo-Event) header is missing or malformed')
        const payload = normalizeGitea(event, await readEventBody(req))
        const facts = githubFacts(event, payload)
        const fixed = await noteRun(facts.run, req.deliveryId)
        return deliver(plugin, plugin.config, facts, () => withMentions(formatGithub(event, payload, plugin.config.locale, { fixed }), forgeMentions('gitea', event, payload)), { templates, payload, locale: plugin.config.locale })
      },
      { methods: ['POST'], mode: 'async', verify: verify.gitea('webhookSecret'), description: 'Gitea / Forgejo webhook; secret: webhookSecret' },
    )
  },
})
