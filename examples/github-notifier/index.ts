// Example plugin: the documentation page's GitHub example in hookcat terms, using only the public SDK.
import { definePlugin, githubWebhook, secret, verify, z, type GitHubPayload } from 'hookcat'

/** Push notification as the page formats it: repository, branch, pusher, commit count and up to three commits. */
export function formatPush(payload: GitHubPayload<'push'>): string {
  const branch = payload.ref.replace('refs/heads/', '')
  const lines = [
    '📦 GitHub push',
    '',
    `Repository: ${payload.repository.full_name}`,
    `Branch: ${branch}`,
    `Pusher: ${payload.pusher.name}`,
    `Commits: ${payload.commits.length}`,
  ]
  if (payload.commits.length > 0) {
    lines.push('', 'Latest commits:')
    for (const commit of payload.commits.slice(0, 3)) lines.push(`- ${commit.message.split('\n')[0].slice(0, 40)} (by ${commit.author.name})`)
    if (payload.commits.length > 3) lines.push(`…and ${payload.commits.length - 3} more`)
  }
  return lines.join('\n')
}

export function formatIssue(payload: GitHubPayload<'issues'>): string {
  const { issue, repository, sender, action } = payload
  return ['🐛 GitHub issue', '', `Repository: ${repository.full_name}`, `Action: ${sender.login} ${action} the issue`, `Issue: #${issue.number} ${issue.title}`, `Link: ${issue.html_url}`].join('\n')
}

export default definePlugin({
  name: 'github-notifier',
  version: '1.0.0',
  description: 'GitHub pushes and issues as chat messages',
  config: z.object({
    webhookSecret: secret(z.string()).describe('GitHub webhook secret'),
    notificationChat: z.string().describe('chat_key to notify, e.g. onebot_v11-group_123456'),
  }),
  setup(plugin) {
    const github = githubWebhook()
      .on('push', async (payload) => {
        await plugin.send(plugin.config.notificationChat, formatPush(payload))
      })
      .on('issues', async (payload) => {
        await plugin.send(plugin.config.notificationChat, formatIssue(payload))
      })
      .on('release.published', async (payload) => {
        // Other plugins can react without an HTTP call: plugin.on('release.published', …).
        await plugin.emit('release.published', { repository: payload.repository.full_name, tag: payload.release.tag_name })
      })
    plugin.mountWebhook('/github', github.handler, {
      methods: ['POST'],
      // Stored first, answered 202, then handled; a failing handler is retried and never runs twice for one delivery.
      mode: 'async',
      verify: verify.github(() => plugin.config.webhookSecret),
      description: 'GitHub webhook (content type application/json, secret = webhookSecret)',
    })
  },
})
