// Renders a structured chat message (icon, source, title, body, fields, link, attachments) as DOM; payload text only ever as text nodes.
import { h } from './dom.js'

// The same icons as the adapters' (src/host/messages.ts LEVEL_ICONS): one icon per headline, never two.
const LEVEL_ICONS = { critical: '🔴', error: '❗', warning: '⚠️', info: 'ℹ️', success: '✅' }
const STARTS_WITH_EMOJI = /^\p{Extended_Pictographic}/u
const HTTP = /^https?:\/\//i

const str = (v) => (typeof v === 'string' ? v : '')

/** The headline's one icon: the message's own, else its level's; none when the title already begins with one. */
export function iconOf(m) {
  const title = str(m.title)
  if (!title && !str(m.source)) return ''
  if (STARTS_WITH_EMOJI.test(title.trimStart())) return ''
  return str(m.icon) || LEVEL_ICONS[m.level] || ''
}

const safeLink = (url, label) => (HTTP.test(str(url)) ? h('a', { href: url, rel: 'noopener noreferrer', target: '_blank' }, label) : null)

/** A stored message (or a bare string) as the elements of a chat bubble: headline, body, fields, attachments, link. */
export function messageView(message) {
  const m = typeof message === 'string' ? { text: message } : (message ?? {})
  const out = []
  const icon = iconOf(m)
  const title = str(m.title)
  const source = str(m.source)
  if (title || source) {
    // The title carries the one link when there is one, as on Discord and Slack.
    const words = title ? (safeLink(m.link?.url, title) ?? title) : null
    out.push(h('div', { class: 'headline' }, icon ? h('span', { class: 'icon', 'aria-hidden': 'true' }, `${icon} `) : null, source ? h('span', { class: 'source' }, `[${source}] `) : null, words ? h('strong', { class: 'title' }, words) : null))
  }
  const body = str(m.text) || str(m.markdown)
  if (body) out.push(h('p', { class: 'text' }, body))
  const fields = Array.isArray(m.fields) ? m.fields.filter((f) => f && typeof f.name === 'string' && typeof f.value === 'string') : []
  if (fields.length) out.push(h('dl', {}, fields.map((f) => [h('dt', {}, f.name), h('dd', {}, f.value)])))
  const attachments = [...(Array.isArray(m.images) ? m.images : []).map((a) => ['🖼', a]), ...(Array.isArray(m.files) ? m.files : []).map((a) => ['📎', a])]
  for (const [mark, a] of attachments) out.push(h('div', { class: 'attachment' }, `${mark} `, safeLink(a?.url, str(a?.name) || str(a?.url)) ?? (str(a?.name) || str(a?.path))))
  // A mention is an id, or (resolved through the people map) a name with or without an id.
  const mentioned = (Array.isArray(m.mentions) ? m.mentions : []).map((x) => (typeof x === 'string' ? x : str(x?.name) || str(x?.id) || str(x?.person))).filter(Boolean)
  if (m.mentionAll === true) mentioned.unshift('all')
  if (mentioned.length) out.push(h('div', { class: 'mentions' }, mentioned.map((x) => `@${x}`).join(' ')))
  // Without a title the link has a line of its own.
  if (!title && m.link?.url) {
    const link = safeLink(m.link.url, str(m.link.title) || m.link.url)
    if (link) out.push(h('div', { class: 'link' }, '🔗 ', link))
  }
  return out
}
