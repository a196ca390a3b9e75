// Outbox: messages by state, their attempts with the platform's error text, retry and discard (one, or a selection).
import { api, follow } from '../api.js'
import { badge, errorText, fill, h, time, toast } from '../dom.js'

const STATES = ['', 'pending', 'sending', 'delivered', 'dead', 'discarded']

function preview(message) {
  const text = message?.title ? `${message.title} — ${message.text}` : message?.text ?? ''
  return text.length > 80 ? `${text.slice(0, 79)}…` : text
}

export function renderOutbox(root) {
  const initial = new URLSearchParams(location.hash.split('?')[1] ?? '').get('state') ?? ''
  const state = h('select', { id: 'o-state' }, STATES.map((s) => h('option', { value: s }, s || 'all')))
  state.value = STATES.includes(initial) ? initial : ''
  const all = h('input', { type: 'checkbox', id: 'o-all', 'aria-label': 'Select all shown' })
  const tbody = h('tbody', { id: 'outbox-rows' })
  const panel = h('section', { class: 'card detail', 'aria-label': 'Message detail', 'aria-live': 'polite' }, h('p', { class: 'help' }, 'Choose a message to see its attempts.'))
  const retrySel = h('button', { type: 'button', disabled: true }, 'Retry selected')
  const discardSel = h('button', { type: 'button', disabled: true }, 'Discard selected')
  root.append(
    h('h1', {}, 'Outbox'),
    h('div', { class: 'filters' }, h('div', { class: 'field' }, h('label', { for: 'o-state' }, 'State'), state), retrySel, discardSel),
    h('div', { class: 'split' }, h('div', { class: 'table-wrap' }, h('table', { class: 'list' }, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, all), ['Created', 'Chat', 'Message', 'State', 'Attempts', 'Last error'].map((t) => h('th', { scope: 'col' }, t)))), tbody)), panel),
  )
  const selected = () => [...tbody.querySelectorAll('input[type=checkbox]:checked')].map((c) => c.value)
  const updateButtons = () => {
    const n = selected().length
    retrySel.disabled = discardSel.disabled = n === 0
    retrySel.textContent = `Retry selected${n ? ` (${n})` : ''}`
    discardSel.textContent = `Discard selected${n ? ` (${n})` : ''}`
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
  const open = async (id) => {
    fill(panel, h('p', {}, 'Loading…'))
    try {
      const { message: m, attempts } = await api(`/outbox/${encodeURIComponent(id)}`)
      const dead = m.state === 'dead' || m.state === 'discarded'
      fill(panel, 
        h('div', { class: 'row' }, h('h2', { tabindex: '-1', id: 'message-title' }, m.chatKey), badge(m.state)),
        h('p', { class: 'muted mono' }, m.id),
        h('pre', { class: 'mono body' }, JSON.stringify(m.message, null, 2)),
        h('h3', {}, `Attempts (${attempts.length})`),
        attempts.length
          ? h('ol', { class: 'attempts' }, attempts.map((a) => h('li', {}, badge(a.ok ? 'ok' : 'failed', a.ok ? 'ok' : 'bad'), ` ${time(a.at)} · ${a.durationMs} ms`, a.httpStatus ? ` · HTTP ${a.httpStatus}` : '', a.error ? h('div', { class: 'error' }, a.error) : null)))
          : h('p', { class: 'help' }, 'Not tried yet.'),
        dead ? h('div', { class: 'row' }, h('button', { type: 'button', class: 'primary', onclick: () => act(`/outbox/${encodeURIComponent(id)}/retry`, 'Sent again').then(() => open(id)) }, 'Retry'), m.state === 'dead' ? h('button', { type: 'button', onclick: () => act(`/outbox/${encodeURIComponent(id)}/discard`, 'Discarded').then(() => open(id)) }, 'Discard') : null) : null,
      )
      panel.querySelector('#message-title').focus()
    } catch (e) {
      fill(panel, h('p', { class: 'error' }, errorText(e)))
    }
  }
  const row = (m) =>
    h(
      'tr',
      { dataset: { id: m.id } },
      h('td', {}, h('input', { type: 'checkbox', value: m.id, 'aria-label': `Select message to ${m.chatKey}`, disabled: m.state !== 'dead' && m.state !== 'discarded', onchange: updateButtons })),
      h('td', {}, time(m.createdAt)),
      h('td', { class: 'mono' }, m.chatKey),
      h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => open(m.id) }, preview(m.message) || '(no text)')),
      h('td', {}, badge(m.state)),
      h('td', { class: 'num' }, m.attempts),
      h('td', { class: 'error-text' }, m.lastError ?? ''),
    )
  const load = async () => {
    try {
      const data = await api(`/outbox?${new URLSearchParams(state.value ? { state: state.value } : {})}`)
      fill(tbody, ...data.messages.map(row))
      all.checked = false
      updateButtons()
    } catch (e) {
      toast(errorText(e), 'error')
    }
  }
  const bulk = async (action) => {
    const ids = selected()
    try {
      const { done, results } = await api(`/outbox/${action}`, { method: 'POST', body: { ids } })
      const failed = results.filter((r) => !r.ok)
      toast(`${done} ${action === 'retry' ? 'sent again' : 'discarded'}${failed.length ? `, ${failed.length} skipped: ${failed[0].error.message}` : ''}`)
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
  state.addEventListener('change', load)
  void load()
  let pending = false
  const stop = follow('/events', {
    message: () => {
      if (pending || selected().length) return
      pending = true
      setTimeout(() => ((pending = false), load()), 500)
    },
  })
  return stop
}
