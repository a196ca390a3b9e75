// Chats: hookcat's own web rooms as a live chat view, the chat_keys seen in the outbox, and a test-message form.
import { api, follow } from '../api.js'
import { badge, errorText, fill, h, time, toast } from '../dom.js'
import { t } from '../i18n.js'
import { messageView } from '../message-view.js'
import { linksCard } from '../links.js'
import { mutesCard } from '../mutes.js'

function bubble(row) {
  const m = row.message ?? {}
  return h(
    'li',
    { class: `bubble ${m.level ?? ''}`, dataset: { seq: row.seq } },
    h('div', { class: 'meta' }, time(row.createdAt), m.level ? badge(m.level) : null),
    messageView(m),
  )
}

function roomView(room) {
  const list = h('ol', { class: 'messages', 'aria-live': 'polite', 'aria-label': t('chat.messagesIn', { room }) })
  const input = h('input', { id: 'compose', type: 'text', required: true, autocomplete: 'off' })
  const form = h('form', { class: 'compose row' }, h('label', { for: 'compose', class: 'sr-only' }, t('chat.messageTo', { chat: `web-${room}` })), input, h('button', { type: 'submit', class: 'primary' }, t('chat.send')))
  form.addEventListener('submit', async (e) => {
    e.preventDefault()
    try {
      await api('/send', { method: 'POST', body: { chatKey: `web-${room}`, message: input.value } })
      input.value = ''
    } catch (err) {
      toast(errorText(err), 'error')
    }
  })
  const seen = new Set()
  const add = (row) => {
    if (seen.has(row.seq)) return
    seen.add(row.seq)
    list.append(bubble(row))
    list.lastElementChild?.scrollIntoView({ block: 'nearest' })
  }
  const stop = follow(`/web/rooms/${encodeURIComponent(room)}/stream`, { message: add }, { resume: true })
  return { el: h('section', { class: 'card room', 'aria-labelledby': 'room-title' }, h('h2', { id: 'room-title' }, `web-${room}`), list, form), stop }
}

export function renderChats(root) {
  const rooms = h('ul', { class: 'rooms' })
  const roomArea = h('div', { class: 'room-area' })
  const chats = h('tbody')
  const newRoom = h('input', { id: 'new-room', type: 'text', placeholder: 'alerts', pattern: '[A-Za-z0-9_.@:\\-]{1,128}' })
  const openForm = h('form', { class: 'row' }, h('label', { for: 'new-room' }, t('chat.openRoom')), newRoom, h('button', { type: 'submit' }, t('chat.open')))
  const testKey = h('input', { id: 'test-key', type: 'text', placeholder: 'onebot_v11-group_123456', required: true })
  const testText = h('input', { id: 'test-text', type: 'text', value: t('chat.testDefault'), required: true })
  const testForm = h('form', { class: 'filters' }, h('div', { class: 'field' }, h('label', { for: 'test-key' }, 'chat_key'), testKey), h('div', { class: 'field' }, h('label', { for: 'test-text' }, t('chat.text')), testText), h('button', { type: 'submit' }, t('chat.sendTest')))
  const adapters = h('p', { class: 'help' })
  root.append(
    h('h1', {}, t('nav.chats')),
    h('div', { class: 'split chats' }, h('nav', { class: 'card', 'aria-label': t('chat.rooms') }, h('h2', {}, t('chat.rooms')), rooms, openForm, h('p', { class: 'help' }, t('chat.roomsHelp'))), roomArea),
    h('section', { class: 'card' }, h('h2', {}, t('chat.seen')), adapters, h('div', { class: 'table-wrap' }, h('table', { class: 'list' }, h('thead', {}, h('tr', {}, ['chat_key', t('word.delivered'), t('word.pending'), t('word.dead'), t('chat.last')].map((x) => h('th', { scope: 'col' }, x)))), chats)), testForm),
    mutesCard(),
    linksCard(),
  )
  let current
  let stopRoom = () => undefined
  const select = (room) => {
    if (room === current) return
    current = room
    stopRoom()
    const view = roomView(room)
    stopRoom = view.stop
    fill(roomArea, view.el)
    for (const b of rooms.querySelectorAll('button')) b.setAttribute('aria-current', String(b.dataset.room === room))
  }
  const load = async () => {
    try {
      const [{ rooms: list }, seen] = await Promise.all([api('/web/rooms'), api('/chats')])
      fill(rooms, ...list.map((r) => h('li', {}, h('button', { type: 'button', class: 'link', dataset: { room: r.room }, 'aria-current': String(r.room === current), onclick: () => select(r.room) }, r.room, ' ', h('span', { class: 'muted' }, `(${r.count})`)))))
      if (!list.length) rooms.append(h('li', { class: 'help' }, t('chat.noRooms')))
      if (!current && list[0]) select(list[0].room)
      adapters.textContent = t('chat.adapters', { list: seen.adapters.map((a) => (a.name === a.type ? a.name : `${a.name} (${a.type})`)).join(', ') })
      fill(chats, ...seen.chats.map((c) => h('tr', {}, h('td', { class: 'mono' }, c.chatKey), h('td', { class: 'num' }, c.counts.delivered), h('td', { class: 'num' }, c.counts.pending + c.counts.sending), h('td', { class: 'num' }, c.counts.dead), h('td', {}, time(c.lastAt)))))
    } catch (e) {
      toast(errorText(e), 'error')
    }
  }
  openForm.addEventListener('submit', (e) => {
    e.preventDefault()
    if (newRoom.value && newRoom.checkValidity()) select(newRoom.value)
  })
  testForm.addEventListener('submit', async (e) => {
    e.preventDefault()
    try {
      const { id } = await api('/send', { method: 'POST', body: { chatKey: testKey.value.trim(), message: testText.value } })
      toast(t('chat.queued', { id }))
      void load()
    } catch (err) {
      toast(errorText(err), 'error')
    }
  })
  void load()
  let pending = false
  const stopEvents = follow('/events', {
    message: (m) => {
      if (pending) return
      pending = true
      setTimeout(() => ((pending = false), load()), m.chatKey?.startsWith('web-') ? 300 : 1500)
    },
  })
  return () => {
    stopRoom()
    stopEvents()
  }
}
