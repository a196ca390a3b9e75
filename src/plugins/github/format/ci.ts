// GitHub Actions and checks: workflow runs and jobs, check suites and runs, deployment statuses.
import { httpUrl, shortSha, str } from '../../shared/format.js'
import { stateLook } from '../../shared/icons.js'
import { actor, repoName, repoUrl, type Formatter } from './common.js'

/** The state worth showing: the conclusion once completed, the status before. */
export function runState(run: { status?: unknown; conclusion?: unknown } | undefined): string {
  const status = str(run?.status)
  return status === 'completed' && str(run?.conclusion) ? str(run?.conclusion) : status
}

export const workflowRun: Formatter = ({ w, p }) => {
  const run = p.workflow_run ?? {}
  const state = runState(run)
  const look = stateLook(state)
  return {
    ...look,
    source: repoName(p),
    headline: w.t('state', { thing: `${w.thing('noun.workflow')} ${str(run.name) || str(p.workflow?.name)} #${str(run.run_number)}`, state: w.state(state) }),
    lines: [w.ci(str(run.actor?.login) || actor(p), str(run.head_branch))],
    url: httpUrl(run.html_url) ?? repoUrl(p),
  }
}

export const workflowJob: Formatter = ({ w, p }) => {
  const job = p.workflow_job ?? {}
  const state = runState(job)
  return {
    ...stateLook(state),
    source: repoName(p),
    headline: w.t('state', { thing: `${w.thing('noun.job')} ${str(job.name)}`, state: w.state(state) }),
    lines: [str(job.workflow_name) && `${w.thing('noun.workflow')} ${str(job.workflow_name)}`, w.ci(actor(p), str(job.head_branch))],
    url: httpUrl(job.html_url) ?? repoUrl(p),
  }
}

export const checkSuite: Formatter = ({ w, p }) => {
  const suite = p.check_suite ?? {}
  const state = runState(suite)
  const base = repoUrl(p)
  return {
    ...stateLook(state),
    source: repoName(p),
    headline: w.t('state', { thing: `${w.thing('noun.checkSuite')} ${str(suite.app?.name)}`, state: w.state(state) }),
    lines: [w.ci(actor(p), str(suite.head_branch) || shortSha(suite.head_sha))],
    url: base && suite.head_sha ? `${base}/commit/${str(suite.head_sha)}/checks` : base,
  }
}

export const checkRun: Formatter = ({ w, p }) => {
  const run = p.check_run ?? {}
  const state = runState(run)
  return {
    ...stateLook(state),
    source: repoName(p),
    headline: w.t('state', { thing: `${w.thing('noun.checkRun')} ${str(run.name)}`, state: w.state(state) }),
    lines: [w.ci(actor(p), str(run.check_suite?.head_branch) || shortSha(run.head_sha))],
    url: httpUrl(run.html_url) ?? repoUrl(p),
  }
}

export const deploymentStatus: Formatter = ({ w, p }) => {
  const status = p.deployment_status ?? {}
  const state = str(status.state)
  return {
    ...stateLook(state),
    source: repoName(p),
    headline: w.t('state', { thing: `${w.thing('noun.deployment')} ${str(status.environment) || str(p.deployment?.environment)}`, state: w.state(state) }),
    lines: [w.ci(actor(p), str(p.deployment?.ref))],
    url: httpUrl(status.target_url) ?? httpUrl(status.log_url) ?? httpUrl(status.environment_url) ?? repoUrl(p),
  }
}
