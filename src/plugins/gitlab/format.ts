// GitLab events as chat messages: push, tag_push, merge_request, issue, note, pipeline, job, release, deployment, wiki_page.
import type { Message } from '../../index.js'
import type { WordKey } from '../shared/dictionary.js'
import type { Json } from '../shared/forge.js'
import { excerpt, httpUrl, oneLine, render, seconds, shortSha, str, Words, type Notice } from '../shared/format.js'
import { stateLook } from '../shared/icons.js'
import type { Locale } from '../shared/locale.js'
import { commitLines } from '../github/format/push.js'
import { commitText, logins } from '../github/format/common.js'
import { gitlabActor, gitlabLabels, mrPushed, projectPath, refName } from './facts.js'

type Formatter = (w: Words, p: Json, fixed?: boolean) => Notice

const projectUrl = (p: Json) => httpUrl(p.project?.web_url) ?? httpUrl(p.repository?.homepage)
const ZERO = /^0+$/

const push: Formatter = (w, p) => {
  const who = gitlabActor(p)
  const branch = refName(p.ref)
  const base = { source: projectPath(p), url: projectUrl(p) }
  if (ZERO.test(str(p.after))) return { ...base, icon: '🗑️', headline: w.t('branchDeleted', { actor: who, ref: branch }) }
  const commits: Json[] = Array.isArray(p.commits) ? p.commits : []
  const total = Number(p.total_commits_count) || commits.length
  if (ZERO.test(str(p.before)) && total === 0) return { ...base, icon: '🌱', headline: w.t('branchCreated', { actor: who, ref: branch }) }
  const url = projectUrl(p)
  return {
    ...base,
    icon: '📦',
    headline: w.t('push', { actor: who, count: w.count('count.commit', total), branch }),
    // GitLab lists at most 20 commits; total_commits_count says how many there were.
    lines: commitLines(commits, w, (c) => c?.id, (c) => c?.author?.name, total),
    url: url && p.before && p.after && !ZERO.test(str(p.before)) ? `${url}/-/compare/${str(p.before)}...${str(p.after)}` : httpUrl(commits[commits.length - 1]?.url) ?? url,
  }
}

const tagPush: Formatter = (w, p) => {
  const deleted = ZERO.test(str(p.after))
  const url = projectUrl(p)
  const tag = refName(p.ref)
  return {
    icon: deleted ? '🗑️' : '🏷️',
    source: projectPath(p),
    headline: w.t(deleted ? 'tagDeleted' : 'tagCreated', { actor: gitlabActor(p), ref: tag }),
    url: url && !deleted ? `${url}/-/tags/${encodeURIComponent(tag)}` : url,
  }
}

const mergeRequest: Formatter = (w, p) => {
  const a = p.object_attributes ?? {}
  const action = mrPushed(p) ? 'synchronize' : str(a.action) || str(a.state)
  const labels = gitlabLabels(p).join(', ')
  const described = action === 'open' || action === 'reopen'
  return {
    icon: action === 'merge' ? '🟣' : action === 'close' ? '⛔' : action === 'approved' || action === 'approval' ? '✅' : '🔀',
    source: projectPath(p),
    headline: w.t('subject', { actor: gitlabActor(p), verb: w.verb(action), thing: w.thing('noun.mr', a.iid, a.title) }),
    lines: described ? excerpt(a.description, 3) : [],
    fields: [
      { name: w.t('field.branches'), value: `${str(a.source_branch) || w.unknown} → ${str(a.target_branch) || w.unknown}`, inline: false },
      action === 'synchronize' && { name: w.t('field.commit'), value: `${shortSha(a.oldrev)} → ${commitText(a.last_commit?.id, a.last_commit?.title ?? a.last_commit?.message)}`, inline: false },
      { name: w.t('field.labels'), value: labels },
      described && { name: w.t('field.reviewers'), value: logins(p.reviewers).join(', ') },
      described && { name: w.t('field.assignee'), value: logins(p.assignees).join(', ') },
      described && (a.draft === true || a.work_in_progress === true) && { name: w.t('field.kind'), value: w.t('draft') },
    ],
    url: httpUrl(a.url) ?? projectUrl(p),
  }
}

const issue: Formatter = (w, p) => {
  const a = p.object_attributes ?? {}
  const action = str(a.action) || str(a.state)
  const labels = gitlabLabels(p).join(', ')
  return {
    icon: action === 'close' ? '✅' : '🐛',
    source: projectPath(p),
    headline: w.t('subject', { actor: gitlabActor(p), verb: w.verb(action), thing: w.thing('noun.issue', a.iid, a.title) }),
    lines: action === 'open' || action === 'reopen' ? excerpt(a.description, 3) : [],
    fields: [{ name: w.t('field.labels'), value: labels }, { name: w.t('field.assignee'), value: logins(p.assignees).join(', ') }],
    url: httpUrl(a.url) ?? projectUrl(p),
  }
}

const NOTEABLE: Record<string, (w: Words, p: Json) => string> = {
  Commit: (w, p) => `${w.thing('noun.commit')} ${shortSha(p.commit?.id)}`,
  MergeRequest: (w, p) => w.thing('noun.mr', p.merge_request?.iid, p.merge_request?.title),
  Issue: (w, p) => w.thing('noun.issue', p.issue?.iid, p.issue?.title),
  Snippet: (w, p) => w.thing('noun.snippet', p.snippet?.id, p.snippet?.title),
}

const note: Formatter = (w, p) => {
  const a = p.object_attributes ?? {}
  const thing = (NOTEABLE[str(a.noteable_type)] ?? ((w2: Words) => w2.unknown))(w, p)
  const key: WordKey = a.action === 'update' ? 'commentEdited' : 'commentCreated'
  return {
    icon: '💬',
    source: projectPath(p),
    headline: w.t(key, { actor: gitlabActor(p), thing }),
    lines: excerpt(a.note, 3),
    fields: [{ name: w.t('field.file'), value: str(a.position?.new_path) || str(a.position?.old_path) }],
    url: httpUrl(a.url) ?? projectUrl(p),
  }
}

/** The state shown: "fixed" for a success that follows a failure. */
const shown = (state: string, fixed?: boolean) => (fixed && state === 'success' ? 'fixed' : state)

const pipeline: Formatter = (w, p, fixed) => {
  const a = p.object_attributes ?? {}
  const state = shown(str(a.status), fixed)
  const url = projectUrl(p)
  const builds: Json[] = Array.isArray(p.builds) ? p.builds : []
  // Jobs allowed to fail do not fail the pipeline: they are not named as its cause.
  const failed = builds.filter((b) => str(b?.status) === 'failed' && b?.allow_failure !== true).map((b) => `${str(b.name)}${b.stage ? ` (${str(b.stage)})` : ''}`)
  return {
    ...stateLook(state),
    source: projectPath(p),
    headline: w.t('state', { thing: `${w.thing('noun.pipeline')} #${str(a.iid) || str(a.id)}`, state: w.state(state) }),
    fields: [
      { name: w.t('field.branch'), value: str(a.ref) },
      { name: w.t('field.commit'), value: commitText(a.sha ?? p.commit?.id, p.commit?.title ?? p.commit?.message), inline: false },
      { name: w.t('field.actor'), value: gitlabActor(p) },
      { name: w.t('field.duration'), value: seconds(a.duration, w) },
      { name: w.t('field.failedJobs'), value: failed.slice(0, 5).join(', ') + (failed.length > 5 ? ` ${w.t('more', { n: failed.length - 5 })}` : ''), inline: false },
    ],
    url: httpUrl(a.url) ?? (url && a.id ? `${url}/-/pipelines/${str(a.id)}` : url),
  }
}

const job: Formatter = (w, p, fixed) => {
  const state = shown(str(p.build_status), fixed)
  const url = projectUrl(p)
  return {
    ...stateLook(state),
    source: projectPath(p),
    headline: w.t('state', { thing: `${w.thing('noun.job')} ${str(p.build_name)}`, state: w.state(state) }),
    lines: [state === 'failed' && str(p.build_failure_reason) && w.state(str(p.build_failure_reason))],
    fields: [
      { name: w.t('field.stage'), value: str(p.build_stage) },
      { name: w.t('field.branch'), value: refName(p.ref) },
      { name: w.t('field.commit'), value: commitText(p.sha ?? p.commit?.sha, p.commit?.message), inline: false },
      { name: w.t('field.actor'), value: gitlabActor(p) },
      { name: w.t('field.duration'), value: seconds(p.build_duration, w) },
    ],
    url: url && p.build_id ? `${url}/-/jobs/${str(p.build_id)}` : url,
  }
}

const release: Formatter = (w, p) => {
  const tag = str(p.tag)
  const name = oneLine(p.name, 80) || tag
  return {
    icon: '🚀',
    source: projectPath(p),
    headline: w.t('state', { thing: `${w.thing('noun.release')} ${name}`, state: w.state(str(p.action)) }),
    lines: str(p.action) === 'delete' ? [] : excerpt(p.description, 4),
    fields: [!name.includes(tag) && { name: w.t('field.tag'), value: tag }, { name: w.t('field.commit'), value: commitText(p.commit?.id, p.commit?.title ?? p.commit?.message), inline: false }],
    url: httpUrl(p.url) ?? projectUrl(p),
  }
}

const deployment: Formatter = (w, p) => {
  const state = str(p.status)
  return {
    ...stateLook(state),
    source: projectPath(p),
    headline: w.t('state', { thing: `${w.thing('noun.deployment')} ${str(p.environment)}`, state: w.state(state) }),
    fields: [
      { name: w.t('field.branch'), value: str(p.ref) },
      { name: w.t('field.commit'), value: commitText(p.short_sha ?? p.commit_url?.split('/').pop(), p.commit_title), inline: false },
      { name: w.t('field.actor'), value: gitlabActor(p) },
    ],
    url: httpUrl(p.deployable_url) ?? httpUrl(p.environment_external_url) ?? projectUrl(p),
  }
}

const wikiPage: Formatter = (w, p) => {
  const a = p.object_attributes ?? {}
  return {
    icon: '📝',
    source: projectPath(p),
    headline: w.t('subject', { actor: gitlabActor(p), verb: w.verb(str(a.action)), thing: w.thing('noun.wikiPage', undefined, a.title) }),
    lines: excerpt(a.message, 2),
    url: httpUrl(a.url) ?? httpUrl(p.wiki?.web_url) ?? projectUrl(p),
  }
}

const generic: Formatter = (w, p) => ({
  icon: '🔔',
  source: projectPath(p),
  headline: w.t('generic', { actor: gitlabActor(p), event: str(p.object_kind) || str(p.event_name) }),
  url: projectUrl(p),
})

export const GITLAB_FORMATTERS: Record<string, Formatter> = {
  push,
  tag_push: tagPush,
  merge_request: mergeRequest,
  issue,
  note,
  pipeline,
  job,
  release,
  deployment,
  wiki_page: wikiPage,
}

/** The chat message of a GitLab event; `fixed`: a successful pipeline or job that follows a failure. */
export function formatGitlab(event: string, payload: Json, locale: Locale, options: { fixed?: boolean } = {}): Message {
  return render((GITLAB_FORMATTERS[event] ?? generic)(new Words(locale), payload, options.fixed))
}
