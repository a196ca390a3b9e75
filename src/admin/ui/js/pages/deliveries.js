// Deliveries: a live list with filters and paging, and a detail view with headers, pretty body, response, timing, replay.
import { api, follow } from '../api.js'
import { badge, clear, errorText, h, pretty, size, time, toast, fill } from '../dom.js'

const STATUSES = ['', 'received', 'queued', 'processing', 'done', 'failed', 'rejected']

function row(d, open) {
  return h(
    'tr',
    { dataset: { id: d.id } },
    h('td', {}, time(d.receivedAt)),
    h('td', {}, d.plugin),
    h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => open(d.id), 'aria-label': `Open delivery ${d.method} ${d.path} at ${time(d.receivedAt)}` }, `${d.method} ${d.path}`)),
    h('td', {}, badge(d.status)),
    h('td', {}, d.responseStatus ?? '—'),
    h('td', { class: 'num' }, d.durationMs === null || d.durationMs === undefined ? '—' : `${d.durationMs} ms`),
  )
}

function table(title, entries) {
  return h('table', { class: 'kv' }, h('caption', {}, title), h('tbody', {}, entries.map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', {}, v)))))
}

async function detail(id, panel) {
  fill(panel, h('p', {}, 'Loading…'))
  try {
    const d = await api(`/deliveries/${encodeURIComponent(id)}`)
    const replay = h('button', { type: 'button', class: 'primary' }, 'Replay')
    replay.addEventListener('click', async () => {
      replay.disabled = true
      try {
        const { id: newId } = await api(`/deliveries/${encodeURIComponent(id)}/replay`, { method: 'POST' })
        toast(`Replayed as ${newId}`)
      } catch (e) {
        toast(errorText(e), 'error')
      }
      replay.disabled = false
    })
    const body = d.body.encoding === 'utf8' ? pretty(d.body.data) : `(binary, base64)\n${d.body.data}`
    fill(panel, 
      h('div', { class: 'row' }, h('h2', { id: 'delivery-title', tabindex: '-1' }, `${d.method} ${d.path}`), badge(d.status), replay),
      h('p', { class: 'muted mono' }, d.id),
      table('Timing', [['Received', time(d.timing.receivedAt)], ['Finished', time(d.timing.finishedAt)], ['Duration', d.timing.durationMs === null ? '—' : `${d.timing.durationMs} ms`], ['Attempts', d.attempts], ['Mode', d.mode], ['Client', d.clientIp], ['Duplicates', d.duplicates]]),
      table('Headers', Object.entries(d.headers)),
      h('h3', {}, `Body (${size(d.body.size)}${d.body.truncated ? `, first ${size(d.body.stored)} kept` : ''})`),
      h('pre', { class: 'mono body' }, body || '(empty)'),
      h('h3', {}, `Response ${d.response.status ?? ''}`),
      h('pre', { class: 'mono body' }, d.response.body ? pretty(d.response.body) : '(none yet)'),
      d.error ? h('p', { class: 'error' }, d.error) : null,
    )
    panel.querySelector('#delivery-title').focus()
  } catch (e) {
    fill(panel, h('p', { class: 'error' }, errorText(e)))
  }
}

export function renderDeliveries(root) {
  const plugin = h('input', { id: 'f-plugin', type: 'search', placeholder: 'any' })
  const status = h('select', { id: 'f-status' }, STATUSES.map((s) => h('option', { value: s }, s || 'any')))
  const text = h('input', { id: 'f-q', type: 'search', placeholder: 'path, body or id' })
  const since = h('input', { id: 'f-since', type: 'datetime-local' })
  const filters = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Filter deliveries' },
    h('div', { class: 'field' }, h('label', { for: 'f-plugin' }, 'Plugin'), plugin),
    h('div', { class: 'field' }, h('label', { for: 'f-status' }, 'Status'), status),
    h('div', { class: 'field' }, h('label', { for: 'f-q' }, 'Search'), text),
    h('div', { class: 'field' }, h('label', { for: 'f-since' }, 'Since'), since),
    h('button', { type: 'submit' }, 'Filter'),
  )
  const tbody = h('tbody', { id: 'delivery-rows' })
  const more = h('button', { type: 'button', hidden: true }, 'Older deliveries')
  const panel = h('section', { class: 'card detail', 'aria-label': 'Delivery detail', 'aria-live': 'polite' }, h('p', { class: 'help' }, 'Choose a delivery to see it.'))
  const live = h('span', { class: 'live', 'aria-live': 'polite' }, 'connecting…')
  root.append(
    h('div', { class: 'row' }, h('h1', {}, 'Deliveries'), live),
    filters,
    h('div', { class: 'split' }, h('div', { class: 'table-wrap' }, h('table', { class: 'list' }, h('thead', {}, h('tr', {}, ['Received', 'Plugin', 'Request', 'Status', 'HTTP', 'Time'].map((t) => h('th', { scope: 'col' }, t)))), tbody), more), panel),
  )
  const open = (id) => detail(id, panel)
  let next
  const params = () => {
    const p = new URLSearchParams()
    if (plugin.value) p.set('plugin', plugin.value.trim())
    if (status.value) p.set('status', status.value)
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
  const matches = (d) => (!plugin.value || d.plugin === plugin.value.trim()) && (!status.value || d.status === status.value) && !text.value && (!since.value || d.receivedAt >= new Date(since.value).getTime())
  filters.addEventListener('submit', (e) => {
    e.preventDefault()
    void load()
  })
  more.addEventListener('click', () => load(true))
  void load()
  const stop = follow('/events', {
    open: () => (live.textContent = '● live'),
    delivery: (d) => {
      const existing = tbody.querySelector(`tr[data-id="${CSS.escape(d.id)}"]`)
      if (existing) existing.replaceWith(row(d, open))
      else if (matches(d)) tbody.prepend(row(d, open))
    },
  })
  return stop
}
