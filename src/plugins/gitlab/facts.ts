// What routing needs to know of a GitLab event, and its repository, actor and branch.
import { str } from '../shared/format.js'
import type { Json } from '../shared/forge.js'
import type { EventFacts, RunFacts } from '../shared/routing.js'
import { runFacts } from '../shared/runs.js'

/** X-Gitlab-Event "Merge Request Hook" or the body's object_kind → one event name: merge_request, job, … */
export function gitlabEvent(header: string | null, p: Json): string {
  const kind = str(p.object_kind)
  if (kind === 'build') return 'job'
  if (kind) return kind
  const h = (header ?? '').replace(/ Hook$/, '').replace(/^Confidential /, '').toLowerCase().replace(/ /g, '_')
  return h === 'tag_push' || h ? h : 'unknown'
}

export function projectPath(p: Json): string {
  return str(p.project?.path_with_namespace) || str(p.project_name) || str(p.repository?.name)
}

export function gitlabActor(p: Json): string {
  return str(p.user?.username) || str(p.user_username) || str(p.user?.name) || str(p.user_name)
}

export function refName(ref: unknown): string {
  return str(ref).replace(/^refs\/(heads|tags)\//, '')
}

function branchOf(event: string, p: Json): string | undefined {
  const attrs = p.object_attributes ?? {}
  switch (event) {
    case 'push':
    case 'tag_push':
    case 'job':
    case 'deployment':
      return refName(p.ref) || undefined
    case 'merge_request':
      return str(attrs.target_branch) || undefined
    case 'pipeline':
      return str(attrs.ref) || undefined
    default:
      return undefined
  }
}

export function gitlabLabels(p: Json): string[] {
  const list = Array.isArray(p.labels) ? p.labels : Array.isArray(p.object_attributes?.labels) ? p.object_attributes.labels : []
  return list.map((l: Json) => str(l?.title) || str(l?.name)).filter(Boolean)
}

/** A merge request update that carries new commits (GitLab sets oldrev then): the "synchronize" of GitLab. */
export function mrPushed(p: Json): boolean {
  const a = p.object_attributes ?? {}
  return str(a.action) === 'update' && str(a.oldrev) !== ''
}

/** The CI series and state of pipelines and jobs: a success after a failure of the same ref is a fix. */
function runOf(event: string, p: Json, path: string): RunFacts | undefined {
  if (event === 'pipeline') return runFacts(`${path}:pipeline:${str(p.object_attributes?.ref)}`, str(p.object_attributes?.status))
  if (event === 'job') return runFacts(`${path}:job:${str(p.build_name)}:${refName(p.ref)}`, str(p.build_status))
  return undefined
}

export function gitlabFacts(event: string, p: Json): EventFacts {
  const path = projectPath(p)
  const user = gitlabActor(p)
  return {
    run: runOf(event, p, path),
    synchronize: event === 'merge_request' && mrPushed(p) ? true : undefined,
    event,
    action: str(p.object_attributes?.action) || str(p.action) || undefined,
    repository: path || undefined,
    owner: path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : undefined,
    branch: branchOf(event, p),
    labels: event === 'merge_request' || event === 'issue' ? gitlabLabels(p) : undefined,
    actor: user || undefined,
    bot: /_bot(_[0-9a-f]+)?$/.test(user) || p.user?.bot === true,
  }
}
