// What every GitHub event formatter shares: its input, and the repository, actor and commit of a payload.
import type { Json } from '../../shared/forge.js'
import { httpUrl, oneLine, shortSha, str, type Notice, type Words } from '../../shared/format.js'

export interface FormatInput {
  w: Words
  p: Json
  event: string
  /** A successful run that follows a failure of the same workflow and branch (decided by the plugin, from its store). */
  fixed?: boolean
}

export type Formatter = (input: FormatInput) => Notice

/** owner/name, or the organisation for organisation-wide events. */
export function repoName(p: Json): string {
  return str(p.repository?.full_name) || str(p.organization?.login) || str(p.enterprise?.slug)
}

export function actor(p: Json): string {
  return str(p.sender?.login) || str(p.pusher?.name) || str(p.pusher?.login)
}

export function repoUrl(p: Json): string | undefined {
  return httpUrl(p.repository?.html_url) ?? httpUrl(p.organization?.html_url) ?? httpUrl(p.sender?.html_url)
}

/** Label names of an issue or pull request. */
export function labelNames(item: Json | undefined): string[] {
  return Array.isArray(item?.labels) ? item.labels.map((l: Json) => str(l?.name)).filter(Boolean) : []
}

/** "a1b2c3d Fix the login" : the short sha and the first line of the commit message. */
export function commitText(sha: unknown, message: unknown): string {
  return [shortSha(sha), oneLine(message, 72)].filter(Boolean).join(' ')
}

/** Logins of a list of users (or names of teams). */
export function logins(list: unknown): string[] {
  return Array.isArray(list) ? list.map((u: Json) => str(u?.login) || str(u?.username) || str(u?.name)).filter(Boolean) : []
}
