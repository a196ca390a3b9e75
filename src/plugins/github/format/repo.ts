// GitHub repository-level events: ping, release, fork, star, watch, repository, member, wiki (gollum), and any other event.
import { excerpt, httpUrl, listLines, oneLine, str } from '../../shared/format.js'
import type { Json } from '../../shared/forge.js'
import { actor, repoName, repoUrl, type Formatter } from './common.js'

export const ping: Formatter = ({ w, p }) => ({
  icon: '🏓',
  source: repoName(p),
  headline: w.t('ping', { actor: actor(p) }),
  lines: [str(p.zen) && `“${oneLine(p.zen, 80)}”`],
  url: repoUrl(p),
})

export const release: Formatter = ({ w, p }) => {
  const r = p.release ?? {}
  const tag = str(r.tag_name)
  // The name once: the release's name when it has one, else its tag; the tag as a field only when it differs.
  const name = oneLine(r.name, 80) || tag
  const kinds = [r.prerelease === true && w.t('prerelease'), r.draft === true && w.t('draft')].filter(Boolean).join(', ')
  return {
    icon: '🚀',
    source: repoName(p),
    headline: w.t('subject', { actor: actor(p), verb: w.verb(str(p.action)), thing: `${w.thing('noun.release')} ${name}` }),
    lines: p.action === 'deleted' ? [] : excerpt(r.body, 4),
    fields: [
      !name.includes(tag) && { name: w.t('field.tag'), value: tag },
      // "prereleased" says it in the headline already.
      p.action !== 'prereleased' && { name: w.t('field.kind'), value: kinds },
    ],
    url: httpUrl(r.html_url) ?? repoUrl(p),
  }
}

export const fork: Formatter = ({ w, p }) => ({
  icon: '🍴',
  source: repoName(p),
  headline: w.t('fork', { actor: actor(p), fork: str(p.forkee?.full_name) }),
  url: httpUrl(p.forkee?.html_url) ?? repoUrl(p),
})

export const star: Formatter = ({ w, p }) => ({
  icon: '⭐',
  source: repoName(p),
  headline: w.t(p.action === 'deleted' ? 'starRemoved' : 'starAdded', { actor: actor(p), count: w.count('count.star', Number(p.repository?.stargazers_count) || 0) }),
  url: repoUrl(p),
})

export const watch: Formatter = ({ w, p }) => ({ icon: '👁️', source: repoName(p), headline: w.t('watch', { actor: actor(p) }), url: repoUrl(p) })

export const repository: Formatter = ({ w, p }) => ({
  icon: '📁',
  source: repoName(p),
  headline: w.t('subject', { actor: actor(p), verb: w.verb(str(p.action)), thing: w.thing('noun.repository') }),
  fields: [p.action === 'renamed' && { name: w.t('field.name'), value: `${str(p.changes?.repository?.name?.from) || w.unknown} → ${str(p.repository?.name) || w.unknown}` }],
  url: repoUrl(p),
})

export const member: Formatter = ({ w, p }) => ({
  icon: '👥',
  source: repoName(p),
  headline: w.t('subject', { actor: actor(p), verb: w.verb(str(p.action)), thing: `${w.thing('noun.member')} ${str(p.member?.login)}` }),
  url: httpUrl(p.member?.html_url) ?? repoUrl(p),
})

export const gollum: Formatter = ({ w, p }) => {
  const pages: Json[] = Array.isArray(p.pages) ? p.pages : []
  return {
    icon: '📝',
    source: repoName(p),
    headline: w.t('wiki', { actor: actor(p), count: w.count('count.page', pages.length) }),
    lines: listLines(w, pages.map((page) => `- ${w.verb(str(page?.action))} ${oneLine(page?.title, 60)}`), 3),
    url: httpUrl(pages[0]?.html_url) ?? repoUrl(p),
  }
}

export const generic: Formatter = ({ w, p, event }) => ({
  icon: '🔔',
  source: repoName(p),
  headline: w.t('generic', { actor: actor(p), event: p.action ? `${event}.${str(p.action)}` : event }),
  url: repoUrl(p),
})
