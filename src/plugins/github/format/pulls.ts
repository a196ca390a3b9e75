// GitHub pull requests, their reviews and review comments.
import { excerpt, httpUrl, shortSha, str, type Words } from '../../shared/format.js'
import type { WordKey } from '../../shared/dictionary.js'
import type { Json } from '../../shared/forge.js'
import { actor, labelNames, logins, repoName, repoUrl, type Formatter } from './common.js'

/** "+12 −3 · 4 files" when the payload counts them (GitHub and recent Gitea do). */
export function changesText(w: Words, additions: unknown, deletions: unknown, files: unknown): string {
  if (typeof additions !== 'number' || typeof deletions !== 'number') return ''
  const lines = `+${additions} −${deletions}`
  return typeof files === 'number' ? w.t('changes', { lines, files: w.count('count.file', files) }) : lines
}

const DESCRIBED = new Set(['opened', 'reopened', 'ready_for_review'])

export const pullRequest: Formatter = ({ w, p }) => {
  const pr = p.pull_request ?? {}
  const merged = p.action === 'closed' && pr.merged === true
  const action = merged ? 'merged' : str(p.action)
  const thing = w.thing('noun.pr', pr.number ?? p.number, pr.title)
  const pushed = action === 'synchronize' || action === 'synchronized'
  // Reviewers and labels where they are the news: when the PR is opened, or when they change.
  const reviewers =
    action === 'review_requested' || action === 'review_request_removed'
      ? [str(p.requested_reviewer?.login), str(p.requested_team?.name)].filter(Boolean)
      : DESCRIBED.has(action)
        ? [...logins(pr.requested_reviewers), ...logins(pr.requested_teams)]
        : []
  const labels = action === 'labeled' || action === 'unlabeled' ? str(p.label?.name) : DESCRIBED.has(action) ? labelNames(pr).join(', ') : ''
  const base = repoUrl(p)
  return {
    icon: merged ? '🟣' : action === 'closed' ? '⛔' : '🔀',
    source: repoName(p),
    headline: w.t('subject', { actor: actor(p), verb: w.verb(action), thing }),
    lines: DESCRIBED.has(action) ? excerpt(pr.body, 3) : [],
    fields: [
      { name: w.t('field.branches'), value: `${str(pr.head?.label) || str(pr.head?.ref) || w.unknown} → ${str(pr.base?.ref) || w.unknown}`, inline: false },
      // GitHub says which commits (before → after); Gitea only the new head.
      pushed && { name: w.t('field.commit'), value: p.before && p.after ? `${shortSha(p.before)} → ${shortSha(p.after)}` : shortSha(pr.head?.sha) },
      (DESCRIBED.has(action) || merged) && { name: w.t('field.changes'), value: changesText(w, pr.additions, pr.deletions, pr.changed_files) },
      { name: w.t('field.labels'), value: labels },
      { name: w.t('field.reviewers'), value: reviewers.join(', ') },
      (action === 'assigned' || action === 'unassigned') && { name: w.t('field.assignee'), value: str(p.assignee?.login) },
      pr.draft === true && DESCRIBED.has(action) && { name: w.t('field.kind'), value: w.t('draft') },
    ],
    url: pushed && base && p.before && p.after ? `${base}/compare/${str(p.before)}...${str(p.after)}` : (httpUrl(pr.html_url) ?? base),
  }
}

const REVIEW: Record<string, WordKey> = {
  approved: 'reviewApproved',
  changes_requested: 'reviewChanges',
  commented: 'reviewCommented',
  dismissed: 'reviewDismissed',
}

export const pullRequestReview: Formatter = ({ w, p }) => {
  const pr = p.pull_request ?? {}
  const state = str(p.review?.state).toLowerCase()
  const key: WordKey = p.action === 'dismissed' ? 'reviewDismissed' : p.action === 'edited' ? 'reviewEdited' : (REVIEW[state] ?? 'reviewCommented')
  return {
    icon: state === 'approved' ? '✅' : state === 'changes_requested' ? '🛑' : '👀',
    source: repoName(p),
    headline: w.t(key, { actor: actor(p), thing: w.thing('noun.pr', pr.number, pr.title) }),
    lines: excerpt(p.review?.body, 3),
    fields: [{ name: w.t('field.branches'), value: branchesOf(w, pr), inline: false }],
    level: state === 'changes_requested' ? 'warning' : undefined,
    url: httpUrl(p.review?.html_url) ?? httpUrl(pr.html_url) ?? repoUrl(p),
  }
}

function branchesOf(w: Words, pr: Json): string {
  const from = str(pr.head?.label) || str(pr.head?.ref)
  const to = str(pr.base?.ref)
  return from || to ? `${from || w.unknown} → ${to || w.unknown}` : ''
}

export const pullRequestReviewComment: Formatter = ({ w, p }) => {
  const pr = p.pull_request ?? {}
  const key: WordKey = p.action === 'edited' ? 'commentEdited' : p.action === 'deleted' ? 'commentDeleted' : 'commentCreated'
  const line = p.comment?.line ?? p.comment?.original_line
  return {
    icon: '💬',
    source: repoName(p),
    headline: w.t(key, { actor: actor(p), thing: w.thing('noun.pr', pr.number, pr.title) }),
    lines: p.action !== 'deleted' ? excerpt(p.comment?.body, 3) : [],
    fields: [{ name: w.t('field.file'), value: p.comment?.path ? `${str(p.comment.path)}${typeof line === 'number' ? `:${line}` : ''}` : '' }],
    url: httpUrl(p.comment?.html_url) ?? httpUrl(pr.html_url) ?? repoUrl(p),
  }
}
