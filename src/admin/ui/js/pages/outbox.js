// Outbox: messages by state and chat, a page at a time; attempts with the platform's error, its delivery, retry and discard.
import { api, follow } from '../api.js'
import { badge, errorText, fill, h, hashQuery, time, toast } from '../dom.js'
import { t } from '../i18n.js'

const STATES = ['', 'pending', 'sending', 'delivered', 'dead', 'discarded']
const PAGE_SIZES = [25, 50, 100]

function preview(message) {
  const text = message?.title ? `${message.title} — ${message.text}` : message?.text ?? ''
  return text.length > 80 ? `${text.slice(0, 79)}…` : text
}

export function renderOutbox(root) {
  const query = hashQuery()
  const state = h('select', { id: 'o-state' }, STATES.map((s) => h('option', { value: s }, s ? t(`word.${s}`) : t('all'))))
  state.value = STATES.includes(query.get('state')) ? query.get('state') : ''
  const chat = h('input', { id: 'o-chat', type: 'search', list: 'o-chats', placeholder: 'onebot_v11-group_123456', value: query.get('chat') ?? '', autocomplete: 'off' })
  const chats = h('datalist', { id: 'o-chats' })
  const pageSize = h('select', { id: 'o-size' }, PAGE_SIZES.map((n) => h('option', { value: String(n) }, String(n))))
  pageSize.value = '50'
  const all = h('input', { type: 'checkbox', id: 'o-all', 'aria-label': t('out.selectAll') })
  const tbody = h('tbody', { id: 'outbox-rows' })
  const panel = h('section', { class: 'card detail', 'aria-label': t('out.detailLabel'), 'aria-live': 'polite' }, h('p', { class: 'help' }, t('out.choose')))
  const retrySel = h('button', { type: 'button', disabled: true }, t('out.retrySel'))
  const discardSel = h('button', { type: 'button', disabled: true }, t('out.discardSel'))
  const newer = h('button', { type: 'button', disabled: true }, t('out.newer'))
  const older = h('button', { type: 'button', disabled: true }, t('out.older'))
  const pageInfo = h('span', { class: 'muted', id: 'o-page', 'aria-live': 'polite' })
  const filters = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': t('out.filterLabel') },
    h('div', { class: 'field' }, h('label', { for: 'o-state' }, t('out.state')), state),
    h('div', { class: 'field' }, h('label', { for: 'o-chat' }, t('out.chat')), chat, chats),
    h('div', { class: 'field' }, h('label', { for: 'o-size' }, t('out.perPage')), pageSize),
    h('button', { type: 'submit' }, t('filter')),
    retrySel,
    discardSel,
  )
  const heads = [t('out.created'), t('out.chat'), t('out.message'), t('out.state'), t('out.attempts'), t('out.lastError')]
  root.append(
    h('h1', {}, t('nav.outbox')),
    filters,
    h(
      'div',
      { class: 'split' },
      h('div', {}, h('div', { class: 'table-wrap' }, h('table', { class: 'list' }, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, all), heads.map((x) => h('th', { scope: 'col' }, x)))), tbody)), h('nav', { class: 'row pager', 'aria-label': t('out.pages') }, newer, pageInfo, older)),
      panel,
    ),
  )
  const selected = () => [...tbody.querySelectorAll('input[type=checkbox]:checked')].map((c) => c.value)
  const updateButtons = () => {
    const n = selected().length
    retrySel.disabled = discardSel.disabled = n === 0
    retrySel.textContent = n ? t('out.retrySelN', { n }) : t('out.retrySel')
    discardSel.textContent = n ? t('out.discardSelN', { n }) : t('out.discardSel')
  }
  const act = async (path, label) => {
    try {
      await api(path, { method: 'POST' })
      toast(label)
    } catch (e) {
      toast(errorText(e), 'error')
    }
    await load()
  }
  let shown
  const open = async (id, { quiet = false } = {}) => {
    shown = id
    if (!quiet) fill(panel, h('p', {}, t('loading')))
    try {
      const { message: m, attempts } = await api(`/outbox/${encodeURIComponent(id)}`)
      const dead = m.state === 'dead' || m.state === 'discarded'
      fill(
        panel,
        h('div', { class: 'row' }, h('h2', { tabindex: '-1', id: 'message-title' }, m.chatKey), badge(m.state)),
        h('p', { class: 'muted mono' }, m.id),
        m.deliveryId ? h('p', {}, t('out.fromDelivery'), ' ', h('a', { href: `#/deliveries?id=${encodeURIComponent(m.deliveryId)}`, class: 'mono delivery-link' }, m.deliveryId)) : h('p', { class: 'help' }, t('out.noDelivery')),
        h('pre', { class: 'mono body' }, JSON.stringify(m.message, null, 2)),
        h('h3', {}, t('out.attemptsN', { n: attempts.length })),
        attempts.length
          ? h('ol', { class: 'attempts' }, attempts.map((a) => h('li', {}, badge(a.ok ? 'ok' : 'failed', a.ok ? 'ok' : 'bad'), ` ${time(a.at)} · ${a.durationMs} ms`, a.httpStatus ? ` · HTTP ${a.httpStatus}` : '', a.error ? h('div', { class: 'error' }, a.error) : null)))
          : h('p', { class: 'help' }, t('out.notTried')),
        dead ? h('div', { class: 'row' }, h('button', { type: 'button', class: 'primary', onclick: () => act(`/outbox/${encodeURIComponent(id)}/retry`, t('out.sentAgain')).then(() => open(id)) }, t('out.retry')), m.state === 'dead' ? h('button', { type: 'button', onclick: () => act(`/outbox/${encodeURIComponent(id)}/discard`, t('out.discarded')).then(() => open(id)) }, t('out.discard')) : null) : null,
      )
      if (!quiet) panel.querySelector('#message-title').focus()
    } catch (e) {
      fill(panel, h('p', { class: 'error' }, errorText(e)))
    }
  }
  const row = (m) =>
    h(
      'tr',
      { dataset: { id: m.id } },
      h('td', {}, h('input', { type: 'checkbox', value: m.id, 'aria-label': t('out.selectOne', { chat: m.chatKey }), disabled: m.state !== 'dead' && m.state !== 'discarded', onchange: updateButtons })),
      h('td', { class: 'when' }, time(m.createdAt)),
      h('td', { class: 'mono' }, m.chatKey),
      h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => open(m.id) }, preview(m.message) || t('out.noText'))),
      h('td', {}, badge(m.state)),
      h('td', { class: 'num' }, m.attempts),
      h('td', { class: 'error-text' }, m.lastError ?? ''),
    )
  // Cursors of the pages seen so far: cursors[i] is the "before" of page i (undefined for the newest).
  let cursors = [undefined]
  let page = 0
  const load = async () => {
    const p = new URLSearchParams({ limit: pageSize.value })
    if (state.value) p.set('state', state.value)
    if (chat.value.trim()) p.set('chatKey', chat.value.trim())
    if (cursors[page] !== undefined) p.set('before', String(cursors[page]))
    try {
      const data = await api(`/outbox?${p}`)
      fill(tbody, ...data.messages.map(row))
      if (!data.messages.length) tbody.append(h('tr', {}, h('td', { colspan: 7, class: 'help' }, t('out.empty'))))
      cursors[page + 1] = data.next
      older.disabled = data.next === undefined
      newer.disabled = page === 0
      pageInfo.textContent = t('out.pageN', { n: page + 1 })
      all.checked = false
      updateButtons()
    } catch (e) {
      toast(errorText(e), 'error')
    }
  }
  const restart = () => {
    cursors = [undefined]
    page = 0
    return load()
  }
  const bulk = async (action) => {
    const ids = selected()
    try {
      const { done, results } = await api(`/outbox/${action}`, { method: 'POST', body: { ids } })
      const failed = results.filter((r) => !r.ok)
      toast(t(action === 'retry' ? 'out.bulkRetried' : 'out.bulkDiscarded', { n: done }) + (failed.length ? t('out.bulkSkipped', { n: failed.length, error: failed[0].error.message }) : ''))
    } catch (e) {
      toast(errorText(e), 'error')
    }
    await load()
  }
  all.addEventListener('change', () => {
    for (const box of tbody.querySelectorAll('input[type=checkbox]:not(:disabled)')) box.checked = all.checked
    updateButtons()
  })
  retrySel.addEventListener('click', () => bulk('retry'))
  discardSel.addEventListener('click', () => bulk('discard'))
  older.addEventListener('click', () => ((page += 1), load()))
  newer.addEventListener('click', () => ((page = Math.max(0, page - 1)), load()))
  filters.addEventListener('submit', (e) => {
    e.preventDefault()
    void restart()
  })
  state.addEventListener('change', restart)
  pageSize.addEventListener('change', restart)
  void load()
  void api('/chats')
    .then((seen) => fill(chats, seen.chats.map((c) => h('option', { value: c.chatKey }))))
    .catch(() => undefined)
  if (query.get('id')) void open(query.get('id'))
  let pending = false
  const stop = follow('/events', {
    message: (e) => {
      // The message being read follows its state live (a retried dead letter turns delivered in front of the reader).
      if (e?.id && e.id === shown) void open(e.id, { quiet: true })
      // Only the newest page follows live; older pages stay still while being read.
      if (pending || page > 0 || selected().length) return
      pending = true
      setTimeout(() => ((pending = false), load()), 500)
    },
  })
  return stop
}
