// Who an event concerns, as mentions: requested reviewers, assignees, the author of a failed run (forges), and the
// on-call people of an alert route by severity. The host resolves them through the `people` map per chat platform.
import { z, type Message, type MentionRef } from '../../index.js'
import { str } from './format.js'
import type { Json } from './forge.js'

type Forge = 'github' | 'gitea' | 'gitlab'

const logins = (list: unknown, key = 'login'): string[] => (Array.isArray(list) ? list.map((u) => str((u as Json)?.[key])).filter(Boolean) : [])
const FAILED = new Set(['failure', 'failed', 'timed_out', 'startup_failure', 'error'])

/** GitHub and Gitea (whose payloads Gitea's normaliser shapes like GitHub's): the logins the event is for. */
function githubConcerns(event: string, p: Json): string[] {
  const action = str(p.action)
  const pr = p.pull_request as Json | undefined
  switch (event) {
    case 'pull_request':
      if (action === 'review_requested') return [str(p.requested_reviewer?.login)]
      if (action === 'assigned') return [str(p.assignee?.login)]
      if (action === 'opened' || action === 'ready_for_review' || action === 'reopened') return [...logins(pr?.requested_reviewers), ...logins(pr?.assignees)]
      return []
    case 'pull_request_review':
      // A review asking for changes (or approving) is news for the author of the pull request.
      return action === 'submitted' && str(p.review?.state) !== 'commented' ? [str(pr?.user?.login)] : []
    case 'issues':
      if (action === 'assigned') return [str(p.assignee?.login)]
      if (action === 'opened') return logins(p.issue?.assignees)
      return []
    case 'workflow_run':
      return FAILED.has(str(p.workflow_run?.conclusion)) ? [str(p.workflow_run?.triggering_actor?.login) || str(p.workflow_run?.actor?.login)] : []
    case 'workflow_job':
    case 'check_run':
    case 'check_suite': {
      const run = (p.workflow_job ?? p.check_run ?? p.check_suite) as Json | undefined
      return FAILED.has(str(run?.conclusion)) ? [str(p.sender?.login)] : []
    }
    case 'status':
      return FAILED.has(str(p.state)) ? [str(p.commit?.author?.login) || str(p.sender?.login)] : []
    default:
      return []
  }
}

function gitlabConcerns(event: string, p: Json): string[] {
  const kind = str(p.object_kind) || event
  const attrs = (p.object_attributes ?? {}) as Json
  const action = str(attrs.action)
  switch (kind) {
    case 'merge_request':
      if (action === 'open' || action === 'reopen') return [...logins(p.reviewers, 'username'), ...logins(p.assignees, 'username')]
      if (action === 'update') {
        // Only people added by this update: the ones already there were told before.
        const added = (change: Json | undefined): string[] => {
          const before = new Set(logins(change?.previous, 'username'))
          return logins(change?.current, 'username').filter((u) => !before.has(u))
        }
        return [...added(p.changes?.reviewers), ...added(p.changes?.assignees)]
      }
      return []
    case 'issue':
      return action === 'open' ? logins(p.assignees, 'username') : []
    case 'pipeline':
      return str(attrs.status) === 'failed' ? [str(p.user?.username)] : []
    case 'build':
      return str(p.build_status) === 'failed' ? [str(p.user?.username)] : []
    default:
      return []
  }
}

/** The people an event concerns, as identities of the forge; the one who acted is not told of their own action. */
export function forgeMentions(forge: Forge, event: string, payload: Json): MentionRef[] {
  const found = forge === 'gitlab' ? gitlabConcerns(event, payload) : githubConcerns(event, payload)
  const actor = forge === 'gitlab' ? str(payload.user?.username) : str(payload.sender?.login)
  const failedRun = /^(workflow_run|workflow_job|check_run|check_suite|status|pipeline|build)$/.test(str(payload.object_kind) || event)
  const seen = new Set<string>()
  const out: MentionRef[] = []
  for (const login of found) {
    const key = login.toLowerCase()
    // A failed run concerns the one who pushed it even though they are the sender; an assignment by oneself does not.
    if (!login || seen.has(key) || (!failedRun && key === actor.toLowerCase())) continue
    seen.add(key)
    out.push({ [forge]: login })
  }
  return out
}

/** The message with more people mentioned (kept after any the plugin already named). */
export function withMentions(message: Message, mentions: MentionRef[], mentionAll = false): Message {
  if (!mentions.length && !mentionAll) return message
  return { ...message, ...(mentions.length ? { mentions: [...(message.mentions ?? []), ...mentions] } : {}), ...(mentionAll ? { mentionAll: true } : {}) }
}

const PERSON = z.string().regex(/^[A-Za-z0-9][\w.-]{0,63}$/, 'a person or group of the people map')

/** Config of an alert plugin: who is mentioned by severity, and when @all is allowed. */
export const alertMentionFields = {
  mention: z
    .record(z.string().min(1).max(32), z.array(PERSON).max(50))
    .default({})
    .describe('Severity → people or groups of the people map to mention while firing, e.g. { critical: [oncall] }'),
  mentionAll: z
    .union([z.boolean(), z.array(z.string().min(1).max(32)).max(10)])
    .default(false)
    .describe('@all in the chat for firing alerts: true, or only for these severities (e.g. [critical]); never from payload text'),
}

export interface AlertMentionConfig {
  mention: Record<string, string[]>
  mentionAll: boolean | string[]
}

/** The on-call mentions of a firing alert whose severities (labels, and the level shown) are given; nothing when resolved. */
export function alertMentions(config: AlertMentionConfig, severities: string[], firing: boolean): { mentions: MentionRef[]; mentionAll: boolean } {
  if (!firing) return { mentions: [], mentionAll: false }
  const levels = new Set(severities.map((s) => s.toLowerCase()).filter(Boolean))
  const names = new Set<string>()
  for (const [severity, people] of Object.entries(config.mention)) if (levels.has(severity.toLowerCase())) people.forEach((p) => names.add(p))
  const all = config.mentionAll === true || (Array.isArray(config.mentionAll) && config.mentionAll.some((s) => levels.has(s.toLowerCase())))
  return { mentions: [...names].map((person) => ({ person })), mentionAll: all }
}

/** The severities of an Alertmanager or Grafana notification's firing alerts, and whether any fires. */
export function alertSeverities(body: Json, message: Message): { severities: string[]; firing: boolean } {
  const alerts: Json[] = Array.isArray(body.alerts) ? body.alerts : []
  const firing = alerts.filter((a) => str(a.status) !== 'resolved')
  const fires = firing.length > 0
  return { severities: [...firing.map((a) => str(a.labels?.severity)), str(body.commonLabels?.severity), message.level ?? ''], firing: fires }
}
