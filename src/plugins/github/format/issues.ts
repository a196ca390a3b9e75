// GitHub issues, comments (issue, commit), discussions and their comments.
import { excerpt, httpUrl, shortSha, str } from '../../shared/format.js'
import { actor, labelNames, repoName, repoUrl, type Formatter } from './common.js'

function commentKey(action: unknown) {
  return action === 'edited' ? 'commentEdited' : action === 'deleted' ? 'commentDeleted' : 'commentCreated'
}

export const issues: Formatter = ({ w, p }) => {
  const issue = p.issue ?? {}
  const action = str(p.action)
  const labels = action === 'labeled' || action === 'unlabeled' ? str(p.label?.name) : action === 'opened' || action === 'reopened' ? labelNames(issue).join(', ') : ''
  return {
    icon: action === 'closed' ? '✅' : '🐛',
    source: repoName(p),
    headline: w.t('subject', { actor: actor(p), verb: w.verb(action), thing: w.thing('noun.issue', issue.number, issue.title) }),
    lines: action === 'opened' || action === 'reopened' ? excerpt(issue.body, 3) : [],
    fields: [
      { name: w.t('field.labels'), value: labels },
      (action === 'assigned' || action === 'unassigned') && { name: w.t('field.assignee'), value: str(p.assignee?.login) },
    ],
    url: httpUrl(issue.html_url) ?? repoUrl(p),
  }
}

export const issueComment: Formatter = ({ w, p }) => {
  const issue = p.issue ?? {}
  // GitHub sends comments on pull requests as issue_comment too; say which it is.
  const noun = issue.pull_request ? 'noun.pr' : 'noun.issue'
  return {
    icon: '💬',
    source: repoName(p),
    headline: w.t(commentKey(p.action), { actor: actor(p), thing: w.thing(noun, issue.number, issue.title) }),
    lines: p.action !== 'deleted' ? excerpt(p.comment?.body, 3) : [],
    url: httpUrl(p.comment?.html_url) ?? httpUrl(issue.html_url) ?? repoUrl(p),
  }
}

export const commitComment: Formatter = ({ w, p }) => ({
  icon: '💬',
  source: repoName(p),
  headline: w.t(commentKey(p.action), { actor: actor(p), thing: `${w.thing('noun.commit')} ${shortSha(p.comment?.commit_id)}` }),
  lines: excerpt(p.comment?.body, 3),
  fields: [{ name: w.t('field.file'), value: str(p.comment?.path) }],
  url: httpUrl(p.comment?.html_url) ?? repoUrl(p),
})

export const discussion: Formatter = ({ w, p }) => {
  const d = p.discussion ?? {}
  return {
    icon: p.action === 'answered' ? '✅' : '💭',
    source: repoName(p),
    headline: w.t('subject', { actor: actor(p), verb: w.verb(str(p.action)), thing: w.thing('noun.discussion', d.number, d.title) }),
    lines: p.action === 'created' ? excerpt(d.body, 3) : [],
    fields: [
      p.action === 'created' && { name: w.t('field.kind'), value: str(d.category?.name) },
      (p.action === 'labeled' || p.action === 'unlabeled') && { name: w.t('field.labels'), value: str(p.label?.name) },
    ],
    url: httpUrl(d.html_url) ?? repoUrl(p),
  }
}

export const discussionComment: Formatter = ({ w, p }) => {
  const d = p.discussion ?? {}
  return {
    icon: '💬',
    source: repoName(p),
    headline: w.t(commentKey(p.action), { actor: actor(p), thing: w.thing('noun.discussion', d.number, d.title) }),
    lines: p.action !== 'deleted' ? excerpt(p.comment?.body, 3) : [],
    url: httpUrl(p.comment?.html_url) ?? httpUrl(d.html_url) ?? repoUrl(p),
  }
}
