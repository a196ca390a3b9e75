// Deliveries: a live list with filters (event, outcome, …) and paging, and a detail with headers, body, response, messages, replay.
import { api, follow } from '../api.js'
import { badge, clear, errorText, h, hashQuery, pretty, size, time, toast, fill } from '../dom.js'
import { t } from '../i18n.js'

const STATUSES = ['', 'received', 'queued', 'processing', 'done', 'failed', 'rejected']
const OUTCOMES = ['', 'delivered', 'ignored', 'filtered', 'failed', 'dead', 'pending']

function outcomeBadge(d) {
  if (!d.outcome) return '—'
  return h('span', { title: d.outcomeReason ?? '' }, badge(d.outcome), d.outcomeReason ? h('span', { class: 'muted reason' }, ` ${d.outcomeReason}`) : null)
}

function row(d, open) {
  return h(
    'tr',
    { dataset: { id: d.id } },
    h('td', { class: 'when' }, time(d.receivedAt)),
    h('td', {}, d.plugin),
    h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => open(d.id), 'aria-label': t('del.openLabel', { request: `${d.method} ${d.path}`, at: time(d.receivedAt) }) }, `${d.method} ${d.path}`)),
    h('td', { class: 'mono' }, d.event ?? '—'),
    h('td', {}, badge(d.status)),
    h('td', {}, outcomeBadge(d)),
    h('td', {}, d.responseStatus ?? '—'),
    h('td', { class: 'num' }, d.durationMs === null || d.durationMs === undefined ? '—' : `${d.durationMs} ms`),
  )
}

function table(title, entries) {
  return h('table', { class: 'kv' }, h('caption', {}, title), h('tbody', {}, entries.map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', {}, v)))))
}

async function detail(id, panel) {
  fill(panel, h('p', {}, t('loading')))
  try {
    const d = await api(`/deliveries/${encodeURIComponent(id)}`)
    const replay = h('button', { type: 'button', class: 'primary' }, t('del.replay'))
    replay.addEventListener('click', async () => {
      replay.disabled = true
      try {
        const { id: newId } = await api(`/deliveries/${encodeURIComponent(id)}/replay`, { method: 'POST' })
        toast(t('del.replayed', { id: newId }))
      } catch (e) {
        toast(errorText(e), 'error')
      }
      replay.disabled = false
    })
    const body = d.body.encoding === 'utf8' ? pretty(d.body.data) : `(binary, base64)\n${d.body.data}`
    const messages = d.messageIds
    fill(
      panel,
      h('div', { class: 'row' }, h('h2', { id: 'delivery-title', tabindex: '-1' }, `${d.method} ${d.path}`), badge(d.status), replay),
      h('p', { class: 'muted mono' }, d.id),
      table(t('del.timing'), [
        [t('del.event'), d.event ?? '—'],
        [t('del.outcome'), outcomeBadge(d)],
        [t('del.received'), time(d.timing.receivedAt)],
        [t('del.finished'), time(d.timing.finishedAt)],
        [t('del.duration'), d.timing.durationMs === null ? '—' : `${d.timing.durationMs} ms`],
        [t('del.attempts'), d.attempts],
        [t('del.mode'), d.mode],
        [t('del.client'), d.clientIp],
        [t('del.duplicates'), d.duplicates],
      ]),
      Array.isArray(messages)
        ? h('div', { class: 'messages-of' }, h('h3', {}, t('del.messages', { n: messages.length })), messages.length ? h('ul', {}, messages.map((m) => h('li', {}, h('a', { href: `#/outbox?id=${encodeURIComponent(m)}`, class: 'mono' }, m)))) : h('p', { class: 'help' }, t('del.noMessages')))
        : null,
      table(t('del.headers'), Object.entries(d.headers)),
      h('h3', {}, `${t('del.body')} (${size(d.body.size)}${d.body.truncated ? `, ${t('del.kept', { size: size(d.body.stored) })}` : ''})`),
      h('pre', { class: 'mono body' }, body || t('del.empty')),
      h('h3', {}, `${t('del.response')} ${d.response.status ?? ''}`),
      h('pre', { class: 'mono body' }, d.response.body ? pretty(d.response.body) : t('del.noneYet')),
      d.error ? h('p', { class: 'error' }, d.error) : null,
    )
    panel.querySelector('#delivery-title').focus()
  } catch (e) {
    fill(panel, h('p', { class: 'error' }, errorText(e)))
  }
}

const field = (id, label, input) => h('div', { class: 'field' }, h('label', { for: id }, label), input)

export function renderDeliveries(root) {
  const query = hashQuery()
  const plugin = h('input', { id: 'f-plugin', type: 'search', placeholder: t('any'), value: query.get('plugin') ?? '' })
  const event = h('input', { id: 'f-event', type: 'search', placeholder: 'push, firing, …', value: query.get('event') ?? '' })
  const status = h('select', { id: 'f-status' }, STATUSES.map((s) => h('option', { value: s }, s ? t(`word.${s}`) : t('any'))))
  const outcome = h('select', { id: 'f-outcome' }, OUTCOMES.map((s) => h('option', { value: s }, s ? t(`word.${s}`) : t('any'))))
  const text = h('input', { id: 'f-q', type: 'search', placeholder: t('del.searchHint') })
  const since = h('input', { id: 'f-since', type: 'datetime-local' })
  if (STATUSES.includes(query.get('status'))) status.value = query.get('status')
  if (OUTCOMES.includes(query.get('outcome'))) outcome.value = query.get('outcome')
  const filters = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': t('del.filterLabel') },
    field('f-plugin', t('del.plugin'), plugin),
    field('f-event', t('del.event'), event),
    field('f-status', t('del.status'), status),
    field('f-outcome', t('del.outcome'), outcome),
    field('f-q', t('del.search'), text),
    field('f-since', t('del.since'), since),
    h('button', { type: 'submit' }, t('filter')),
  )
  const tbody = h('tbody', { id: 'delivery-rows' })
  const more = h('button', { type: 'button', hidden: true }, t('del.older'))
  const panel = h('section', { class: 'card detail', 'aria-label': t('del.detailLabel'), 'aria-live': 'polite' }, h('p', { class: 'help' }, t('del.choose')))
  const live = h('span', { class: 'live', 'aria-live': 'polite' }, t('connecting'))
  const heads = [t('del.received'), t('del.plugin'), t('del.request'), t('del.event'), t('del.status'), t('del.outcome'), 'HTTP', t('del.time')]
  root.append(
    h('div', { class: 'row' }, h('h1', {}, t('nav.deliveries')), live),
    filters,
    h('div', { class: 'split' }, h('div', { class: 'table-wrap' }, h('table', { class: 'list' }, h('thead', {}, h('tr', {}, heads.map((x) => h('th', { scope: 'col' }, x)))), tbody), more), panel),
  )
  const open = (id) => detail(id, panel)
  let next
  const params = () => {
    const p = new URLSearchParams()
    if (plugin.value) p.set('plugin', plugin.value.trim())
    if (event.value) p.set('event', event.value.trim())
    if (status.value) p.set('status', status.value)
    if (outcome.value) p.set('outcome', outcome.value)
    if (text.value) p.set('q', text.value)
    if (since.value) p.set('since', String(new Date(since.value).getTime()))
    return p
  }
  const load = async (append = false) => {
    const p = params()
    if (append && next) p.set('before', next)
    try {
      const data = await api(`/deliveries?${p}`)
      if (!append) clear(tbody)
      tbody.append(...data.deliveries.map((d) => row(d, open)))
      next = data.next
      more.hidden = !next
    } catch (e) {
      toast(errorText(e), 'error')
    }
  }
  const matches = (d) =>
    (!plugin.value || d.plugin === plugin.value.trim()) &&
    (!event.value || d.event === event.value.trim()) &&
    (!status.value || d.status === status.value) &&
    (!outcome.value || d.outcome === outcome.value) &&
    !text.value &&
    (!since.value || d.receivedAt >= new Date(since.value).getTime())
  filters.addEventListener('submit', (e) => {
    e.preventDefault()
    void load()
  })
  more.addEventListener('click', () => load(true))
  void load()
  if (query.get('id')) void open(query.get('id'))
  const stop = follow('/events', {
    open: () => (live.textContent = t('live')),
    delivery: (d) => {
      const existing = tbody.querySelector(`tr[data-id="${CSS.escape(d.id)}"]`)
      if (existing) existing.replaceWith(row(d, open))
      else if (matches(d)) tbody.prepend(row(d, open))
    },
  })
  return stop
}
