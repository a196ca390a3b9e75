// Typed GitHub events for handlers: githubEvent(req) narrows by name; githubWebhook().on('issues.opened', …) routes.
import { HookcatError } from '../util/errors.js'
import type { WebhookRequest } from '../host/ingress/request.js'
import type { WebhookHandler } from '../host/plugin/types.js'
import type { GitHubEmitterEventName, GitHubEvent, GitHubPayload } from '../types/senders/github.js'

/** Reads X-GitHub-Event, X-GitHub-Delivery and the payload (JSON, or the form-encoded `payload` field GitHub can send). */
export async function githubEvent(req: WebhookRequest): Promise<GitHubEvent> {
  const name = req.headers.get('x-github-event')
  if (!name) throw new HookcatError('VALIDATION_FAILED', 'The X-GitHub-Event header is missing')
  let payload: unknown
  if (req.contentType === 'application/x-www-form-urlencoded') {
    const field = new URLSearchParams(await req.text()).get('payload')
    if (field === null) throw new HookcatError('VALIDATION_FAILED', 'The form has no "payload" field')
    try {
      payload = JSON.parse(field)
    } catch {
      throw new HookcatError('INVALID_JSON')
    }
  } else payload = await req.json()
  if (!payload || typeof payload !== 'object') throw new HookcatError('VALIDATION_FAILED', 'The GitHub payload is not a JSON object')
  return { name, id: req.headers.get('x-github-delivery') ?? undefined, payload } as GitHubEvent
}

export interface GitHubHandlerContext<N extends GitHubEmitterEventName> {
  /** The X-GitHub-Event value. */
  name: N extends `${infer E}.${string}` ? E : N
  /** X-GitHub-Delivery. */
  id: string | undefined
  request: WebhookRequest
}

export type GitHubEventHandler<N extends GitHubEmitterEventName> = (payload: GitHubPayload<N>, context: GitHubHandlerContext<N>) => unknown

export interface GitHubWebhook {
  /** Runs `handler` for an event ("push") or an event with an action ("issues.opened"); returns the router for chaining. */
  on<N extends GitHubEmitterEventName>(names: N | readonly N[], handler: GitHubEventHandler<N>): GitHubWebhook
  /** The webhook handler to mount: runs every matching handler in order; answers ping by itself. */
  readonly handler: WebhookHandler
}

/**
 * A router of typed GitHub events. The last value a matching handler returns (other than undefined) is the answer;
 * otherwise `{ status: 'success', event }`, or `{ status: 'ignored', event }` when nothing matched.
 */
export function githubWebhook(): GitHubWebhook {
  const routes: Array<{ names: Set<string>; handler: (payload: never, context: never) => unknown }> = []
  const router: GitHubWebhook = {
    on(names, handler) {
      const list: readonly string[] = Array.isArray(names) ? names : [names as string]
      routes.push({ names: new Set(list), handler: handler as (payload: never, context: never) => unknown })
      return router
    },
    async handler(request) {
      const event = await githubEvent(request)
      const action = (event.payload as { action?: unknown }).action
      const keys = typeof action === 'string' ? [event.name, `${event.name}.${action}`] : [event.name]
      let answer: unknown
      let matched = false
      for (const route of routes) {
        if (!keys.some((k) => route.names.has(k))) continue
        matched = true
        const result = await route.handler(event.payload as never, { name: event.name, id: event.id, request } as never)
        if (result !== undefined) answer = result
      }
      if (answer !== undefined) return answer
      if (event.name === 'ping') return { message: 'pong' }
      return { status: matched ? 'success' : 'ignored', event: event.name }
    },
  }
  return router
}
