// GitHub pull requests, their reviews and review comments.
import { httpUrl, quote, str } from '../../shared/format.js'
import type { WordKey } from '../../shared/dictionary.js'
import { actor, labelNames, repoName, repoUrl, type Formatter } from './common.js'

export const pullRequest: Formatter = ({ w, p }) => {
  const pr = p.pull_request ?? {}
  const merged = p.action === 'closed' && pr.merged === true
  const action = merged ? 'merged' : str(p.action)
  const labels = action === 'labeled' || action === 'unlabeled' ? str(p.label?.name) : labelNames(pr).join(', ')
  return {
    icon: merged ? '🟣' : action === 'closed' ? '⛔' : '🔀',
    source: repoName(p),
    headline: w.t('subject', { actor: actor(p), verb: w.verb(action), thing: w.thing('noun.pr', pr.number ?? p.number, pr.title) }),
    lines: [
      w.t('line.branches', { from: str(pr.head?.label) || str(pr.head?.ref), to: str(pr.base?.ref) }),
      labels && w.t('line.labels', { labels }),
      action === 'review_requested' && p.requested_reviewer && w.t('line.assignee', { who: str(p.requested_reviewer.login) }),
      (action === 'assigned' || action === 'unassigned') && p.assignee && w.t('line.assignee', { who: str(p.assignee.login) }),
    ],
    url: httpUrl(pr.html_url) ?? repoUrl(p),
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
    lines: [quote(p.review?.body)],
    url: httpUrl(p.review?.html_url) ?? httpUrl(pr.html_url) ?? repoUrl(p),
  }
}

export const pullRequestReviewComment: Formatter = ({ w, p }) => {
  const pr = p.pull_request ?? {}
  const key: WordKey = p.action === 'edited' ? 'commentEdited' : p.action === 'deleted' ? 'commentDeleted' : 'commentCreated'
  return {
    icon: '💬',
    source: repoName(p),
    headline: w.t(key, { actor: actor(p), thing: w.thing('noun.pr', pr.number, pr.title) }),
    lines: [p.action !== 'deleted' && quote(p.comment?.body), p.comment?.path && w.t('line.file', { path: str(p.comment.path) })],
    url: httpUrl(p.comment?.html_url) ?? httpUrl(pr.html_url) ?? repoUrl(p),
  }
}
