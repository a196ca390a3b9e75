// GitHub push, create and delete: branch and tag pushes, force pushes, created and deleted refs.
import { httpUrl, oneLine, shortSha, str } from '../../shared/format.js'
import type { Json } from '../../shared/forge.js'
import { actor, repoName, repoUrl, type Formatter } from './common.js'

/** "refs/heads/main" → { kind: branch, name: main }. */
export function parseRef(ref: unknown, refType?: unknown): { tag: boolean; name: string } {
  const text = str(ref)
  if (refType === 'tag' || text.startsWith('refs/tags/')) return { tag: true, name: text.replace(/^refs\/tags\//, '') }
  return { tag: false, name: text.replace(/^refs\/heads\//, '') }
}

const SHOWN_COMMITS = 5

/** The newest five commits with author, and how many more there were (total: when the sender lists fewer than it counts). */
export function commitLines(
  commits: Json[],
  words: Parameters<Formatter>[0]['w'],
  shaOf: (c: Json) => unknown,
  authorOf: (c: Json) => unknown,
  total = commits.length,
): string[] {
  const shown = commits.slice(-SHOWN_COMMITS).reverse()
  const lines = shown.map((c) => `- ${oneLine(c?.message, 60) || '…'} (${shortSha(shaOf(c))}, ${oneLine(authorOf(c), 30) || words.unknown})`)
  return total > shown.length ? [...lines, words.t('moreCommits', { n: total - shown.length })] : lines
}

export const push: Formatter = ({ w, p }) => {
  const ref = parseRef(p.ref)
  const who = actor(p)
  const base = { source: repoName(p), url: httpUrl(p.compare) ?? httpUrl(p.head_commit?.url) ?? repoUrl(p) }
  if (p.deleted === true) {
    return { ...base, icon: '🗑️', headline: w.t(ref.tag ? 'tagDeleted' : 'branchDeleted', { actor: who, ref: ref.name }), url: repoUrl(p) }
  }
  const commits: Json[] = Array.isArray(p.commits) ? p.commits : []
  if (ref.tag) return { ...base, icon: '🏷️', headline: w.t('tagCreated', { actor: who, ref: ref.name }) }
  if (p.created === true && commits.length === 0) return { ...base, icon: '🌱', headline: w.t('branchCreated', { actor: who, ref: ref.name }) }
  const forced = p.forced === true
  return {
    ...base,
    icon: forced ? '⚠️' : '📦',
    level: forced ? 'warning' : undefined,
    headline: w.t(forced ? 'forcePush' : 'push', { actor: who, count: w.count('count.commit', commits.length), branch: ref.name }),
    lines: [forced && w.t('forceWarning'), ...commitLines(commits, w, (c) => c?.id, (c) => c?.author?.name ?? c?.author?.username)],
  }
}

export const create: Formatter = ({ w, p }) => {
  const ref = parseRef(p.ref, p.ref_type)
  const url = repoUrl(p)
  return {
    icon: ref.tag ? '🏷️' : '🌱',
    source: repoName(p),
    headline: w.t(ref.tag ? 'tagCreated' : 'branchCreated', { actor: actor(p), ref: ref.name }),
    url: url && ref.name ? `${url}/tree/${encodeURIComponent(ref.name)}` : url,
  }
}

export const del: Formatter = ({ w, p }) => {
  const ref = parseRef(p.ref, p.ref_type)
  return { icon: '🗑️', source: repoName(p), headline: w.t(ref.tag ? 'tagDeleted' : 'branchDeleted', { actor: actor(p), ref: ref.name }), url: repoUrl(p) }
}
