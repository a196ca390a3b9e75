// GitHub webhook payload types (from @octokit/webhooks-types), narrowed by event name and by "event.action".
import type { WebhookEventMap, WebhookEventName } from '@octokit/webhooks-types'

/** Every X-GitHub-Event value, e.g. "push", "issues", "pull_request". */
export type GitHubEventName = WebhookEventName
/** Event name → payload, e.g. GitHubEventMap['push'] is the push payload. */
export type GitHubEventMap = WebhookEventMap

type ActionOf<E extends GitHubEventName> = GitHubEventMap[E] extends infer P ? (P extends { action: infer A extends string } ? A : never) : never

/** An event name, or "event.action" for events that carry an action (e.g. "issues.opened"). */
export type GitHubEmitterEventName = GitHubEventName | { [E in GitHubEventName]: `${E}.${ActionOf<E>}` }[GitHubEventName]

/** The payload of an event name or of an "event.action" name. */
export type GitHubPayload<N extends GitHubEmitterEventName> = N extends `${infer E extends GitHubEventName}.${infer A}`
  ? Extract<GitHubEventMap[E], { action: A }>
  : N extends GitHubEventName
    ? GitHubEventMap[N]
    : never

/** A received GitHub event: `if (event.name === 'push') event.payload.commits` narrows the payload. */
export type GitHubEvent = { [E in GitHubEventName]: { name: E; id: string | undefined; payload: GitHubEventMap[E] } }[GitHubEventName]
