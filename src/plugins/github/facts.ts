// What routing and ordering need to know of a GitHub event: repository, owner, branch, labels, actor, bot.
import { str } from '../shared/format.js'
import type { Json } from '../shared/forge.js'
import type { EventFacts, RunFacts } from '../shared/routing.js'
import { runFacts } from '../shared/runs.js'
import { runState as shownState } from './format/ci.js'
import { labelNames } from './format/common.js'
import { parseRef } from './format/push.js'

function branchOf(event: string, p: Json): string | undefined {
  switch (event) {
    case 'push':
    case 'create':
    case 'delete':
      return parseRef(p.ref, p.ref_type).name || undefined
    case 'pull_request':
    case 'pull_request_review':
    case 'pull_request_review_comment':
      return str(p.pull_request?.base?.ref) || undefined
    case 'workflow_run':
      return str(p.workflow_run?.head_branch) || undefined
    case 'workflow_job':
      return str(p.workflow_job?.head_branch) || undefined
    case 'check_suite':
      return str(p.check_suite?.head_branch) || undefined
    case 'check_run':
      return str(p.check_run?.check_suite?.head_branch) || undefined
    case 'deployment_status':
      return str(p.deployment?.ref) || undefined
    case 'status': {
      const branches: Json[] = Array.isArray(p.branches) ? p.branches : []
      const tip = branches.find((b) => b?.commit?.sha === p.sha) ?? (branches.length === 1 ? branches[0] : undefined)
      return str(tip?.name) || undefined
    }
    default:
      return undefined
  }
}

function labelsOf(event: string, p: Json): string[] | undefined {
  if (event === 'issues' || event === 'issue_comment') return labelNames(p.issue)
  if (event.startsWith('pull_request')) return labelNames(p.pull_request)
  return undefined
}

/** The CI series and state of runs, jobs and checks: a success after a failure of the same series is a fix. */
function runOf(event: string, p: Json, branch: string | undefined): RunFacts | undefined {
  const repo = str(p.repository?.full_name)
  const on = branch ?? ''
  switch (event) {
    case 'workflow_run':
      return runFacts(`${repo}:workflow:${str(p.workflow_run?.workflow_id) || str(p.workflow_run?.name)}:${on}`, shownState(p.workflow_run))
    case 'workflow_job':
      return runFacts(`${repo}:job:${str(p.workflow_job?.workflow_name)}:${str(p.workflow_job?.name)}:${on}`, shownState(p.workflow_job))
    case 'check_suite':
      return runFacts(`${repo}:suite:${str(p.check_suite?.app?.slug) || str(p.check_suite?.app?.id)}:${on}`, shownState(p.check_suite))
    case 'check_run':
      return runFacts(`${repo}:check:${str(p.check_run?.name)}:${on}`, shownState(p.check_run))
    default:
      return undefined
  }
}

export function githubFacts(event: string, p: Json): EventFacts {
  const login = str(p.sender?.login)
  const branch = branchOf(event, p)
  const action = str(p.action)
  return {
    run: runOf(event, p, branch),
    synchronize: event === 'pull_request' && (action === 'synchronize' || action === 'synchronized') ? true : undefined,
    status: event === 'status' ? str(p.state) : undefined,
    event,
    action: str(p.action) || undefined,
    repository: str(p.repository?.full_name) || undefined,
    owner: str(p.repository?.owner?.login) || str(p.organization?.login) || undefined,
    branch,
    labels: labelsOf(event, p),
    actor: login || str(p.pusher?.name) || undefined,
    bot: p.sender?.type === 'Bot' || login.endsWith('[bot]'),
  }
}

/** The run key and status rank of events whose states can arrive out of order. */
export function runState(event: string, p: Json): { key: string; status: string } | undefined {
  const repo = str(p.repository?.full_name)
  if (event === 'workflow_job' && p.workflow_job?.id !== undefined) {
    return { key: `${repo}:job:${str(p.workflow_job.id)}`, status: str(p.workflow_job.status) }
  }
  if (event === 'workflow_run' && p.workflow_run?.id !== undefined) {
    // A re-run keeps the run's id and raises run_attempt: each attempt has its own sequence of states.
    return { key: `${repo}:run:${str(p.workflow_run.id)}:${str(p.workflow_run.run_attempt) || '1'}`, status: str(p.workflow_run.status) }
  }
  if (event === 'check_run' && p.check_run?.id !== undefined) {
    return { key: `${repo}:check:${str(p.check_run.id)}`, status: str(p.check_run.status) }
  }
  return undefined
}
