// Routing and filter rules of the forge plugins (GitHub, GitLab, Gitea): which events go to which chats, and which to none.
import { chatKey, z } from '../../index.js'
import { templateField } from './template.js'

/** What a forge template sees besides event, payload, default and locale: the facts the router uses. */
export const FORGE_VARIABLES = ['repository', 'owner', 'branch', 'action', 'actor', 'bot', 'labels', 'run', 'status', 'synchronize'] as const
export const forgeTemplate = templateField(FORGE_VARIABLES)
import { FORGES, listSubscriptions, type Forge } from './subscriptions.js'

/** How much of CI the forges post; the default keeps a chat quiet: failures, and the success that fixes one. */
export const RUN_MODES = ['failures', 'completed', 'all'] as const
export type RunMode = (typeof RUN_MODES)[number]
export const QUIET_DEFAULTS = { runs: 'failures' as RunMode, synchronize: false, statuses: ['failure', 'error'] }

const names = z.array(z.string().min(1)).max(200)

export const filterSchema = z
  .object({
    events: names.optional().describe('Only these events ("push", or "pull_request.opened" for one action)'),
    excludeEvents: names.optional().describe('Never these events (same forms as events)'),
    actions: names.optional().describe('Only these actions (opened, closed, completed, …); events without an action pass'),
    branches: names.optional().describe('Only these branches or tags (globs: main, release/*); events without a branch pass'),
    labels: names.optional().describe('Only issues and pull requests carrying one of these labels'),
    actors: names.optional().describe('Only events by these users'),
    excludeActors: names.optional().describe('Never events by these users'),
    excludeBots: z.boolean().optional().describe('Drop events sent by bots (dependabot[bot], …)'),
    runs: z
      .enum(RUN_MODES)
      .optional()
      .describe('Workflow runs, jobs, checks and pipelines: "failures" (default: failures, and a success that fixes one), "completed" (every finished run) or "all" (queued and running too)'),
    synchronize: z.boolean().optional().describe('Post new commits pushed to an open pull or merge request (default false)'),
    statuses: names.optional().describe('Commit status states that post (default ["failure", "error"])'),
  })
  .strict()

export type Filters = z.output<typeof filterSchema>

export const routeSchema = z
  .object({
    repository: z.string().min(1).optional().describe('owner/name, globs allowed (acme/*)'),
    organization: z.string().min(1).optional().describe('Owner, organisation or group (GitLab: the namespace path)'),
    chats: z.array(chatKey(z.string().min(3))).min(1).max(50).describe('chat_keys that receive the matching events'),
    filters: filterSchema.optional(),
    template: forgeTemplate,
    mentionAll: z.boolean().optional().describe('@all in these chats for the events this route posts (after its filters); never from payload text'),
  })
  .strict()
  .refine((r) => r.repository !== undefined || r.organization !== undefined, 'a route needs a repository or an organization')

/** The routing part of a forge plugin's config. */
export const routingFields = {
  notificationChat: chatKey(z.string().min(3)).optional().describe('chat_key for events that no route claims'),
  filters: filterSchema.prefault({}).describe('Filters for every event'),
  routes: z.array(routeSchema).max(500).default([]).describe('Repository or organisation → chats, each with its own filters'),
  template: forgeTemplate,
}

export interface Routing {
  notificationChat?: string
  filters: Filters
  routes: Array<z.output<typeof routeSchema>>
  template?: z.output<typeof forgeTemplate>
}

/** What the router needs to know of an event. */
export interface EventFacts {
  event: string
  action?: string
  /** owner/name */
  repository?: string
  /** Owner or namespace of the repository. */
  owner?: string
  branch?: string
  /** Present (possibly empty) for events that can carry labels. */
  labels?: string[]
  actor?: string
  bot?: boolean
  /** For CI runs, jobs, checks and pipelines: finished or not, how, and whether it fixes the last failure. */
  run?: RunFacts
  /** A pull or merge request got new commits (GitHub/Gitea synchronize, GitLab update with oldrev). */
  synchronize?: boolean
  /** The state of a commit status event. */
  status?: string
}

export interface RunFacts {
  /** The workflow + branch (or pipeline + ref) whose outcomes follow each other: a success after a failure is a fix. */
  series: string
  done: boolean
  outcome: 'failure' | 'success' | 'other'
  fixed?: boolean
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')
  return new RegExp(`^${escaped.replace(/\u0000/g, '.*')}$`, 'i')
}

const globCache = new Map<string, RegExp>()
export function globMatch(glob: string, value: string): boolean {
  let re = globCache.get(glob)
  if (!re) {
    re = globToRegExp(glob)
    if (globCache.size < 1000) globCache.set(glob, re)
  }
  return re.test(value)
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()

function eventMatches(list: string[], facts: EventFacts): boolean {
  return list.some((e) => same(e, facts.event) || (facts.action !== undefined && same(e, `${facts.event}.${facts.action}`)))
}

/** Why the filters drop the event, or undefined when it passes. */
export function filterReason(filters: Filters | undefined, facts: EventFacts): string | undefined {
  if (!filters) return undefined
  if (filters.events && !eventMatches(filters.events, facts)) return `event ${facts.event} is not in filters.events`
  if (filters.excludeEvents && eventMatches(filters.excludeEvents, facts)) return `event ${facts.event} is in filters.excludeEvents`
  if (filters.actions && facts.action !== undefined && !filters.actions.some((a) => same(a, facts.action!))) return `action ${facts.action} is not in filters.actions`
  if (filters.branches && facts.branch !== undefined && !filters.branches.some((b) => globMatch(b, facts.branch!))) return `branch ${facts.branch} is not in filters.branches`
  if (filters.labels && facts.labels !== undefined && !facts.labels.some((l) => filters.labels!.some((f) => same(f, l)))) return 'no label in filters.labels'
  if (filters.actors && !(facts.actor && filters.actors.some((a) => same(a, facts.actor!)))) return `actor ${facts.actor ?? '?'} is not in filters.actors`
  if (filters.excludeActors && facts.actor && filters.excludeActors.some((a) => same(a, facts.actor!))) return `actor ${facts.actor} is in filters.excludeActors`
  if (filters.excludeBots && facts.bot) return 'the actor is a bot (filters.excludeBots)'
  return undefined
}

/** Why the quiet defaults (or their switches in filters) drop the event; the route's own setting wins over the global one. */
export function quietReason(filters: Filters | undefined, global: Filters | undefined, facts: EventFacts): string | undefined {
  const runs = filters?.runs ?? global?.runs ?? QUIET_DEFAULTS.runs
  const run = facts.run
  if (run && runs !== 'all') {
    if (!run.done) return `the run has not finished (filters.runs: ${runs})`
    if (runs === 'failures' && run.outcome !== 'failure' && !run.fixed) return 'the run did not fail and fixes no failure (filters.runs: failures)'
  }
  if (facts.synchronize && !(filters?.synchronize ?? global?.synchronize ?? QUIET_DEFAULTS.synchronize)) return 'new commits on a pull request (filters.synchronize is off)'
  const statuses = filters?.statuses ?? global?.statuses ?? QUIET_DEFAULTS.statuses
  if (facts.status !== undefined && !statuses.some((s) => same(s, facts.status!))) return `commit status ${facts.status} is not in filters.statuses`
  return undefined
}

export interface RouteDecision {
  chats: string[]
  /** For each chat, the index of the first route that gave it (undefined: notificationChat), for the route's template. */
  routeOf?: Map<string, number | undefined>
  /** The chats whose route says mentionAll: true. */
  mentionAll?: string[]
  /** Why no chat gets the event. */
  dropped?: string
  /** filtered: a filter rule dropped it; ignored: no chat is configured for it. */
  outcome?: 'filtered' | 'ignored'
}

/** Global filters first; then every route (its filters and the quiet defaults) naming the repository or its owner adds its chats; none: the default chat. */
export function decide(routing: Routing, facts: EventFacts): RouteDecision {
  const global = filterReason(routing.filters, facts)
  if (global) return { chats: [], dropped: global, outcome: 'filtered' }
  const claiming = routing.routes.filter(
    (r) =>
      (r.repository !== undefined && facts.repository !== undefined && globMatch(r.repository, facts.repository)) ||
      (r.organization !== undefined && facts.owner !== undefined && same(r.organization, facts.owner)),
  )
  if (claiming.length === 0) {
    if (!routing.notificationChat) return { chats: [], dropped: 'no route matches and notificationChat is not set', outcome: 'ignored' }
    const quiet = quietReason(undefined, routing.filters, facts)
    return quiet ? { chats: [], dropped: quiet, outcome: 'filtered' } : { chats: [routing.notificationChat], routeOf: new Map([[routing.notificationChat, undefined]]) }
  }
  const routeOf = new Map<string, number | undefined>()
  const all = new Set<string>()
  let reason: string | undefined
  for (const r of claiming) {
    const why = filterReason(r.filters, facts) ?? quietReason(r.filters, routing.filters, facts)
    if (why) reason ??= why
    else r.chats.forEach((c) => (routeOf.has(c) || routeOf.set(c, routing.routes.indexOf(r)), r.mentionAll && all.add(c)))
  }
  if (routeOf.size === 0) return { chats: [], dropped: reason ?? 'filtered out', outcome: 'filtered' }
  return { chats: [...routeOf.keys()], routeOf, ...(all.size > 0 ? { mentionAll: [...all] } : {}) }
}

/** The routes chats subscribed themselves to (/hookcat subscribe), in the form of config routes. */
export async function subscriptionRoutes(forge: string): Promise<Routing['routes']> {
  if (!(FORGES as readonly string[]).includes(forge)) return []
  return (await listSubscriptions(forge as Forge)).map((s) => ({
    ...(s.target.includes('/') ? { repository: s.target } : { organization: s.target }),
    chats: [s.chatKey],
    ...(s.events.length ? { filters: { events: s.events } } : {}),
  }))
}
