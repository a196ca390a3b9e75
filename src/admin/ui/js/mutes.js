// The mutes card of the chats page: mute a chat for a while, see what each mute holds, unmute it.
import { api } from './api.js'
import { errorText, fill, h, time, toast } from './dom.js'
import { lang } from './i18n.js'

const TEXT = {
  en: { title: 'Muted chats', help: 'Messages to a muted chat are held, never dropped, and sent as one digest when the mute ends.', duration: 'For', mute: 'Mute', unmute: 'Unmute', until: 'Until', held: 'Held', none: 'No chat is muted.', muted: 'Muted {chat}', unmuted: 'Unmuted {chat}' },
  'zh-CN': { title: '已静音的会话', help: '静音期间发往该会话的消息会被保留（不会丢弃），静音结束时合并为一条摘要发送。', duration: '时长', mute: '静音', unmute: '取消静音', until: '截止', held: '暂存', none: '没有静音的会话。', muted: '已静音 {chat}', unmuted: '已取消静音 {chat}' },
}
const tr = (key, vars = {}) => (TEXT[lang()] ?? TEXT.en)[key].replace(/\{(\w+)\}/g, (_, k) => vars[k] ?? '')

export function mutesCard() {
  const rows = h('tbody')
  const chat = h('input', { id: 'mute-chat', type: 'text', placeholder: 'onebot_v11-group_123456', required: true })
  const duration = h('input', { id: 'mute-duration', type: 'text', value: '2h', pattern: '(\\d+[smhdw])+', required: true })
  const form = h(
    'form',
    { class: 'filters' },
    h('div', { class: 'field' }, h('label', { for: 'mute-chat' }, 'chat_key'), chat),
    h('div', { class: 'field' }, h('label', { for: 'mute-duration' }, tr('duration')), duration),
    h('button', { type: 'submit' }, tr('mute')),
  )
  const load = async () => {
    try {
      const { mutes } = await api('/mutes')
      if (!mutes.length) return fill(rows, h('tr', {}, h('td', { colspan: 4, class: 'help' }, tr('none'))))
      fill(
        rows,
        ...mutes.map((m) =>
          h('tr', {}, h('td', { class: 'mono' }, m.chatKey), h('td', {}, time(m.until)), h('td', { class: 'num' }, m.held), h('td', {}, h('button', { type: 'button', onclick: () => unmute(m.chatKey) }, tr('unmute')))),
        ),
      )
    } catch (e) {
      toast(errorText(e), 'error')
    }
  }
  const unmute = async (chatKey) => {
    try {
      await api(`/mutes/${encodeURIComponent(chatKey)}`, { method: 'DELETE' })
      toast(tr('unmuted', { chat: chatKey }))
    } catch (e) {
      toast(errorText(e), 'error')
    }
    void load()
  }
  form.addEventListener('submit', async (e) => {
    e.preventDefault()
    try {
      await api('/mutes', { method: 'POST', body: { chatKey: chat.value.trim(), duration: duration.value.trim() } })
      toast(tr('muted', { chat: chat.value.trim() }))
    } catch (err) {
      toast(errorText(err), 'error')
    }
    void load()
  })
  void load()
  const head = h('thead', {}, h('tr', {}, ['chat_key', tr('until'), tr('held'), ''].map((x) => h('th', { scope: 'col' }, x))))
  return h('section', { class: 'card', 'aria-labelledby': 'mutes-title' }, h('h2', { id: 'mutes-title' }, tr('title')), h('p', { class: 'help' }, tr('help')), h('div', { class: 'table-wrap' }, h('table', { class: 'list' }, head, rows)), form)
}
