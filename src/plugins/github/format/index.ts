// Picks the formatter of a GitHub event and renders it in the configured language.
import { render, Words } from '../../shared/format.js'
import type { Json } from '../../shared/forge.js'
import type { Locale } from '../../shared/locale.js'
import type { Message } from '../../../index.js'
import { checkRun, checkSuite, deploymentStatus, status, workflowJob, workflowRun } from './ci.js'
import type { Formatter } from './common.js'
import { commitComment, discussion, discussionComment, issueComment, issues } from './issues.js'
import { pullRequest, pullRequestReview, pullRequestReviewComment } from './pulls.js'
import { create, del, push } from './push.js'
import { fork, generic, gollum, member, ping, release, repository, star, watch } from './repo.js'

export const FORMATTERS: Record<string, Formatter> = {
  ping,
  push,
  create,
  delete: del,
  issues,
  issue_comment: issueComment,
  commit_comment: commitComment,
  discussion,
  discussion_comment: discussionComment,
  pull_request: pullRequest,
  pull_request_review: pullRequestReview,
  pull_request_review_comment: pullRequestReviewComment,
  // Gitea's and Forgejo's review events (their payloads normalized by the gitea plugin).
  pull_request_approved: pullRequestReview,
  pull_request_rejected: pullRequestReview,
  pull_request_comment: pullRequestReview,
  release,
  workflow_run: workflowRun,
  workflow_job: workflowJob,
  check_suite: checkSuite,
  check_run: checkRun,
  deployment_status: deploymentStatus,
  status,
  fork,
  star,
  watch,
  repository,
  member,
  gollum,
}

export const SUPPORTED_EVENTS = Object.keys(FORMATTERS)

export interface FormatOptions {
  /** The run is a success that follows a failure: said as "fixed". */
  fixed?: boolean
}

/** The chat message of a GitHub event; events without a formatter of their own get a short generic one. */
export function formatGithub(event: string, payload: Json, locale: Locale, options: FormatOptions = {}): Message {
  const formatter = FORMATTERS[event] ?? generic
  return render(formatter({ w: new Words(locale), p: payload, event, fixed: options.fixed }))
}
