// GitLab events as chat messages: push, tag_push, merge_request, issue, note, pipeline, job, release, deployment, wiki_page.
import type { Message } from '../../index.js'
import type { WordKey } from '../shared/dictionary.js'
import type { Json } from '../shared/forge.js'
import { httpUrl, quote, render, shortSha, str, Words, type Notice } from '../shared/format.js'
import { stateLook } from '../shared/icons.js'
import type { Locale } from '../shared/locale.js'
import { commitLines } from '../github/format/push.js'
import { gitlabActor, gitlabLabels, projectPath, refName } from './facts.js'

type Formatter = (w: Words, p: Json) => Notice

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
  const action = str(a.action) || str(a.state)
  const labels = gitlabLabels(p).join(', ')
  return {
    icon: action === 'merge' ? '🟣' : action === 'close' ? '⛔' : action === 'approved' || action === 'approval' ? '✅' : '🔀',
    source: projectPath(p),
    headline: w.t('subject', { actor: gitlabActor(p), verb: w.verb(action), thing: w.thing('noun.mr', a.iid, a.title) }),
    lines: [w.t('line.branches', { from: str(a.source_branch), to: str(a.target_branch) }), labels && w.t('line.labels', { labels })],
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
    lines: [labels && w.t('line.labels', { labels }), action === 'open' && quote(a.description)],
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
  return { icon: '💬', source: projectPath(p), headline: w.t(key, { actor: gitlabActor(p), thing }), lines: [quote(a.note)], url: httpUrl(a.url) ?? projectUrl(p) }
}

const pipeline: Formatter = (w, p) => {
  const a = p.object_attributes ?? {}
  const state = str(a.status)
  const url = projectUrl(p)
  return {
    ...stateLook(state),
    source: projectPath(p),
    headline: w.t('state', { thing: `${w.thing('noun.pipeline')} #${str(a.iid) || str(a.id)}`, state: w.state(state) }),
    lines: [w.ci(gitlabActor(p), str(a.ref))],
    url: httpUrl(a.url) ?? (url && a.id ? `${url}/-/pipelines/${str(a.id)}` : url),
  }
}

const job: Formatter = (w, p) => {
  const state = str(p.build_status)
  const url = projectUrl(p)
  return {
    ...stateLook(state),
    source: projectPath(p),
    headline: w.t('state', { thing: `${w.thing('noun.job')} ${str(p.build_name)}`, state: w.state(state) }),
    lines: [str(p.build_stage) && w.t('line.stage', { stage: str(p.build_stage) }), w.ci(gitlabActor(p), refName(p.ref))],
    url: url && p.build_id ? `${url}/-/jobs/${str(p.build_id)}` : url,
  }
}

const release: Formatter = (w, p) => {
  const title = [str(p.tag), str(p.name) !== str(p.tag) ? str(p.name) : ''].filter(Boolean).join(' ')
  return {
    icon: '🚀',
    source: projectPath(p),
    headline: w.t('state', { thing: `${w.thing('noun.release')} ${title}`, state: w.state(str(p.action)) }),
    lines: [quote(p.description)],
    url: httpUrl(p.url) ?? projectUrl(p),
  }
}

const deployment: Formatter = (w, p) => {
  const state = str(p.status)
  return {
    ...stateLook(state),
    source: projectPath(p),
    headline: w.t('state', { thing: `${w.thing('noun.deployment')} ${str(p.environment)}`, state: w.state(state) }),
    lines: [w.ci(gitlabActor(p), str(p.ref))],
    url: httpUrl(p.deployable_url) ?? httpUrl(p.environment_external_url) ?? projectUrl(p),
  }
}

const wikiPage: Formatter = (w, p) => {
  const a = p.object_attributes ?? {}
  return {
    icon: '📝',
    source: projectPath(p),
    headline: w.t('subject', { actor: gitlabActor(p), verb: w.verb(str(a.action)), thing: w.thing('noun.wikiPage', undefined, a.title) }),
    lines: [quote(a.message)],
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

export function formatGitlab(event: string, payload: Json, locale: Locale): Message {
  return render((GITLAB_FORMATTERS[event] ?? generic)(new Words(locale), payload))
}
