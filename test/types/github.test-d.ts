// Type tests of typed GitHub events: names, actions and payload fields are checked by the compiler.
import { expectTypeOf } from 'expect-type'
import { githubEvent, githubWebhook, type GitHubPayload, type WebhookRequest } from 'hookcat'

const gh = githubWebhook()

gh.on('push', (payload, context) => {
  expectTypeOf(payload.commits[0].message).toBeString()
  expectTypeOf(payload.repository.full_name).toBeString()
  expectTypeOf(context.name).toEqualTypeOf<'push'>()
  // @ts-expect-error a push payload has no issue
  void payload.issue
  // @ts-expect-error a wrong payload field: pushers are under "pusher", not "pushed_by"
  void payload.pushed_by
})

gh.on('issues.opened', (payload, context) => {
  expectTypeOf(payload.action).toEqualTypeOf<'opened'>()
  expectTypeOf(payload.issue.number).toBeNumber()
  expectTypeOf(context.name).toEqualTypeOf<'issues'>()
})

gh.on(['issues.closed', 'issues.reopened'], (payload) => {
  expectTypeOf(payload.action).toEqualTypeOf<'closed' | 'reopened'>()
})

// @ts-expect-error a wrong event name
gh.on('pushh', () => undefined)

// @ts-expect-error a wrong action of a real event
gh.on('issues.exploded', () => undefined)

// @ts-expect-error push has no actions at all
gh.on('push.created', () => undefined)

expectTypeOf<GitHubPayload<'release.published'>['release']['tag_name']>().toBeString()

export async function narrowing(req: WebhookRequest): Promise<string> {
  const event = await githubEvent(req)
  if (event.name === 'push') return event.payload.ref
  if (event.name === 'issues') {
    // @ts-expect-error an issues payload has no ref
    return event.payload.ref
  }
  // @ts-expect-error a wrong event name cannot be compared
  if (event.name === 'pull-request') return ''
  return event.name
}
