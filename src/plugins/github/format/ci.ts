// GitHub Actions and checks: workflow runs and jobs, check suites and runs, commit statuses, deployment statuses.
import { duration, excerpt, httpUrl, oneLine, shortSha, str } from '../../shared/format.js'
import { stateLook } from '../../shared/icons.js'
import { actor, commitText, repoName, repoUrl, type FormatInput, type Formatter } from './common.js'

/** The state worth showing: the conclusion once completed, the status before. */
export function runState(run: { status?: unknown; conclusion?: unknown } | undefined): string {
  const status = str(run?.status)
  return status === 'completed' && str(run?.conclusion) ? str(run?.conclusion) : status
}

/** The state shown: "fixed" for a success that follows a failure. */
function shown(state: string, input: FormatInput): string {
  return input.fixed && state === 'success' ? 'fixed' : state
}

export const workflowRun: Formatter = (input) => {
  const { w, p } = input
  const run = p.workflow_run ?? {}
  const state = shown(runState(run), input)
  const done = str(run.status) === 'completed'
  const who = str(run.triggering_actor?.login) || str(run.actor?.login) || actor(p)
  return {
    ...stateLook(state),
    source: repoName(p),
    headline: w.t('state', { thing: `${w.thing('noun.workflow')} ${str(run.name) || str(p.workflow?.name)} #${str(run.run_number)}`, state: w.state(state) }),
    fields: [
      { name: w.t('field.branch'), value: str(run.head_branch) },
      { name: w.t('field.commit'), value: commitText(run.head_sha, run.head_commit?.message), inline: false },
      { name: w.t('field.actor'), value: who },
      { name: w.t('noun.pr'), value: Array.isArray(run.pull_requests) && run.pull_requests[0]?.number ? `#${str(run.pull_requests[0].number)}` : '' },
      done && { name: w.t('field.duration'), value: duration(run.run_started_at, run.updated_at, w) },
    ],
    url: httpUrl(run.html_url) ?? repoUrl(p),
  }
}

export const workflowJob: Formatter = (input) => {
  const { w, p } = input
  const job = p.workflow_job ?? {}
  const state = shown(runState(job), input)
  const steps: Array<Record<string, unknown>> = Array.isArray(job.steps) ? job.steps : []
  const failedStep = steps.find((s) => s?.conclusion === 'failure')
  return {
    ...stateLook(state),
    source: repoName(p),
    headline: w.t('state', { thing: `${w.thing('noun.job')} ${str(job.name)}`, state: w.state(state) }),
    fields: [
      { name: w.t('noun.workflow'), value: str(job.workflow_name) },
      { name: w.t('field.branch'), value: str(job.head_branch) },
      { name: w.t('field.commit'), value: shortSha(job.head_sha) },
      { name: w.t('field.actor'), value: actor(p) },
      failedStep && { name: w.t('field.failedStep'), value: str(failedStep.name) },
      { name: w.t('field.duration'), value: duration(job.started_at, job.completed_at, w) },
    ],
    url: httpUrl(job.html_url) ?? repoUrl(p),
  }
}

export const checkSuite: Formatter = (input) => {
  const { w, p } = input
  const suite = p.check_suite ?? {}
  const state = shown(runState(suite), input)
  const base = repoUrl(p)
  return {
    ...stateLook(state),
    source: repoName(p),
    headline: w.t('state', { thing: `${w.thing('noun.checkSuite')} ${str(suite.app?.name)}`, state: w.state(state) }),
    fields: [
      { name: w.t('field.branch'), value: str(suite.head_branch) },
      { name: w.t('field.commit'), value: commitText(suite.head_sha, suite.head_commit?.message), inline: false },
      { name: w.t('field.actor'), value: actor(p) },
    ],
    url: base && suite.head_sha ? `${base}/commit/${str(suite.head_sha)}/checks` : base,
  }
}

export const checkRun: Formatter = (input) => {
  const { w, p } = input
  const run = p.check_run ?? {}
  const state = shown(runState(run), input)
  return {
    ...stateLook(state),
    source: repoName(p),
    headline: w.t('state', { thing: `${w.thing('noun.checkRun')} ${str(run.name)}`, state: w.state(state) }),
    lines: [oneLine(run.output?.title, 100), ...excerpt(run.output?.summary, 2)],
    fields: [
      { name: w.t('field.branch'), value: str(run.check_suite?.head_branch) },
      { name: w.t('field.commit'), value: shortSha(run.head_sha) },
      { name: w.t('field.actor'), value: actor(p) },
      { name: w.t('field.duration'), value: duration(run.started_at, run.completed_at, w) },
    ],
    url: httpUrl(run.html_url) ?? repoUrl(p),
  }
}

/** A commit status (Jenkins, Travis, …): its context, state and description, the commit and branch. */
export const status: Formatter = ({ w, p }) => {
  const state = str(p.state)
  const branches: Array<Record<string, unknown>> = Array.isArray(p.branches) ? p.branches : []
  // The branches whose tip is the commit: the one the status is about.
  const branch = branches.find((b) => (b?.commit as { sha?: unknown } | undefined)?.sha === p.sha) ?? (branches.length === 1 ? branches[0] : undefined)
  return {
    ...stateLook(state),
    source: repoName(p),
    headline: w.t('state', { thing: `${w.thing('noun.status')} ${str(p.context)}`, state: w.state(state) }),
    lines: [oneLine(p.description, 120)],
    fields: [
      { name: w.t('field.branch'), value: str(branch?.name) },
      { name: w.t('field.commit'), value: commitText(p.sha, p.commit?.commit?.message), inline: false },
    ],
    url: httpUrl(p.target_url) ?? httpUrl(p.commit?.html_url) ?? repoUrl(p),
  }
}

export const deploymentStatus: Formatter = ({ w, p }) => {
  const s = p.deployment_status ?? {}
  const state = str(s.state)
  return {
    ...stateLook(state),
    source: repoName(p),
    headline: w.t('state', { thing: `${w.thing('noun.deployment')} ${str(s.environment) || str(p.deployment?.environment)}`, state: w.state(state) }),
    lines: [oneLine(s.description, 120)],
    fields: [
      { name: w.t('field.branch'), value: str(p.deployment?.ref) },
      { name: w.t('field.commit'), value: shortSha(p.deployment?.sha) },
      { name: w.t('field.actor'), value: actor(p) },
    ],
    url: httpUrl(s.target_url) ?? httpUrl(s.log_url) ?? httpUrl(s.environment_url) ?? repoUrl(p),
  }
}
