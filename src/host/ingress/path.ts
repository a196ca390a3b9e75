// Splits /api/plugin/<plugin>/webhook/<path> and refuses path tricks (traversal, encoded slashes, control bytes).
import { HookcatError } from '../../util/errors.js'

export const PLUGIN_PREFIX = '/api/plugin/'
const MAX_PATH = 2048
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/

export interface WebhookAddress {
  plugin: string
  /** The decoded path after /webhook, starting with "/". */
  path: string
  /** "?…" or "". */
  search: string
}

/** Parses a request URL that starts with /api/plugin/; throws a 4xx HookcatError when it is malformed or not a webhook. */
export function parseWebhookUrl(url: string): WebhookAddress {
  const q = url.indexOf('?')
  const pathname = q < 0 ? url : url.slice(0, q)
  const search = q < 0 ? '' : url.slice(q)
  if (pathname.length > MAX_PATH || search.length > 8192) throw new HookcatError('URI_TOO_LONG')
  const after = pathname.slice(PLUGIN_PREFIX.length)
  const slash = after.indexOf('/')
  const plugin = slash < 0 ? after : after.slice(0, slash)
  const rest = slash < 0 ? '' : after.slice(slash)
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(plugin)) throw new HookcatError('PLUGIN_NOT_FOUND', 'No plugin with that name is loaded')
  if (rest !== '/webhook' && !rest.startsWith('/webhook/')) throw new HookcatError('NOT_FOUND', 'Webhooks live at /api/plugin/<plugin>/webhook/<path>')
  const encoded = rest.slice('/webhook'.length) || '/'
  // An encoded slash, backslash or NUL would let a client smuggle a different path past the segment checks.
  if (/%(2f|5c|00)/i.test(encoded)) throw new HookcatError('BAD_PATH', 'Encoded slashes, backslashes and NUL bytes are not allowed in a webhook path')
  let path: string
  try {
    path = encoded.includes('%') ? decodeURIComponent(encoded) : encoded
  } catch {
    throw new HookcatError('BAD_PATH', 'The webhook path has an invalid percent-encoding')
  }
  if (CONTROL.test(path) || path.includes('\\')) throw new HookcatError('BAD_PATH', 'The webhook path has control characters or backslashes')
  for (const segment of path.split('/')) {
    if (segment === '.' || segment === '..') throw new HookcatError('BAD_PATH', 'The webhook path may not contain "." or ".." segments')
  }
  return { plugin, path, search }
}
