// Mentioned samples of the golden corpus: the plugins' own choice of who an event concerns, resolved through a people map.
import type { Message } from '../../src/index.js'
import { peopleSchema } from '../../src/config/people.js'
import { alertMentions, alertSeverities, forgeMentions, withMentions } from '../../src/plugins/shared/people.js'
import { LOCALES } from '../../src/plugins/shared/locale.js'
import { normalizeGitea } from '../../src/plugins/gitea/normalize.js'
import type { PluginName, Sample } from './samples.js'

/** The people of the golden harness, by adapter instance (named as their types there). */
export const GOLDEN_PEOPLE = peopleSchema.parse({
  hubot: {
    name: 'Hubot',
    github: 'hubot',
    email: 'hubot@example.com',
    onebot_v11: 10001,
    telegram: 123456789,
    discord: '80351110224678912',
    slack: 'U012AB3CD',
    feishu: 'ou_7d8a6e6df7621556ce0d21922b676706',
    dingtalk: { mobile: '13800000001' },
    wecom: { userId: 'zhangsan' },
  },
  monalisa: { name: 'Mona Lisa', github: 'monalisa' },
  lunny: { gitea: 'lunny', name: 'Lunny', onebot_v11: 10005, slack: 'U0LUNNY01' },
  codertocat: { github: 'Codertocat', onebot_v11: '10002', discord: '80351110224678913', email: 'codertocat@example.com' },
  user1: { gitlab: 'user1', onebot_v11: 10003, telegram: 987654321 },
  carol: { name: 'Carol', onebot_v11: 10004, dingtalk: { mobile: '13800000004' }, wecom: { mobile: '13800000004' } },
  oncall: ['hubot', 'carol'],
})

/** Samples whose events concern someone; alerts as a route with `mention: { critical: [oncall] }, mentionAll: [critical]`. */
const MENTIONED: Array<[PluginName, string, string]> = [
  ['github', 'pull_request.opened', 'pull_request'],
  ['github', 'workflow_run.failure', 'workflow_run'],
  ['gitea', 'pull_request.opened', 'pull_request'],
  ['gitlab', 'merge_request', 'merge_request'],
  ['alertmanager', 'firing', ''],
  ['alertmanager', 'many', ''],
]

const ROUTE = { mention: { critical: ['oncall'], warning: ['monalisa'] }, mentionAll: ['critical'] }

export function mentionedSamples(fixture: (plugin: string, name: string) => any, format: (plugin: PluginName, name: string, body: any, locale: (typeof LOCALES)[number]) => Message | undefined): Sample[] {
  const out: Sample[] = []
  for (const [plugin, name, event] of MENTIONED) {
    const body = fixture(plugin, name)
    for (const locale of LOCALES) {
      const base = format(plugin, name, body, locale)
      let message: Message | undefined
      if (!base) message = undefined
      else if (plugin === 'alertmanager') {
        const { severities, firing } = alertSeverities(body, base)
        const on = alertMentions(ROUTE, severities, firing)
        message = withMentions(base, on.mentions, on.mentionAll)
      } else message = withMentions(base, forgeMentions(plugin as 'github' | 'gitea' | 'gitlab', event, plugin === 'gitea' ? normalizeGitea(event, body) : body))
      out.push({ plugin, sample: `${name}.mentioned`, locale, message })
    }
  }
  return out
}
