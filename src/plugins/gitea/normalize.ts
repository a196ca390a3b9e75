// Gitea and Forgejo send GitHub-shaped payloads with a few differences; this maps them so that one formatter serves both.
import { str } from '../shared/format.js'
import type { Json } from '../shared/forge.js'

export const GITEA_EVENTS = ['push', 'issues', 'issue_comment', 'pull_request', 'pull_request_approved', 'pull_request_rejected', 'pull_request_comment', 'release'] as const

/** Gitea's review events carry a pull-request payload with review { type, content }; as GitHub's review states. */
const REVIEW_STATE: Record<string, string> = {
  pull_request_approved: 'approved',
  pull_request_rejected: 'changes_requested',
  pull_request_comment: 'commented',
}

/** The event name: X-Forgejo-Event, X-Gitea-Event, or the X-GitHub-Event both also send. */
export function giteaEvent(headers: { get(name: string): string | null }): string {
  return headers.get('x-forgejo-event') ?? headers.get('x-gitea-event') ?? headers.get('x-github-event') ?? ''
}

/** A shallow copy with the GitHub field names the formatters read (compare, pusher.name, the pull-request mark of comments). */
export function normalizeGitea(event: string, p: Json): Json {
  const out: Json = { ...p }
  if (out.compare === undefined && typeof p.compare_url === 'string') out.compare = p.compare_url
  if (p.pusher && typeof p.pusher === 'object') out.pusher = { ...p.pusher, name: str(p.pusher.login) || str(p.pusher.username) || str(p.pusher.full_name) }
  if (p.sender && typeof p.sender === 'object' && !p.sender.login) out.sender = { ...p.sender, login: str(p.sender.username) }
  if (event === 'issue_comment' && p.is_pull === true && p.issue && !p.issue.pull_request) out.issue = { ...p.issue, pull_request: {} }
  if (REVIEW_STATE[event] && p.review && typeof p.review === 'object') {
    out.review = { ...p.review, state: REVIEW_STATE[event], body: str(p.review.content), html_url: p.pull_request?.html_url }
  }
  if (event === 'push' && out.created === undefined && /^0+$/.test(str(p.before))) out.created = true
  if (event === 'push' && out.deleted === undefined && /^0+$/.test(str(p.after))) out.deleted = true
  return out
}
