// The chat-links card of the Chats page: each live adapter link's state, and the subscriptions chats made with /hookcat subscribe.
import { api } from './api.js'
import { badge, errorText, fill, h, time, toast } from './dom.js'
import { t } from './i18n.js'

const KIND = { up: 'ok', down: 'bad', connecting: 'warning' }
const head = (...cols) => h('thead', {}, h('tr', {}, cols.map((x) => h('th', { scope: 'col' }, x))))
const empty = (cols, text) => h('tr', {}, h('td', { colspan: cols, class: 'help' }, text))

function linkRow(name, s) {
  const bots = (s.bots ?? []).map((b) => b.selfId).join(', ')
  return h('tr', { dataset: { adapter: name } }, h('td', { class: 'mono' }, name), h('td', {}, badge(s.state, KIND[s.state] ?? s.state)), h('td', {}, s.detail ?? ''), h('td', { class: 'mono' }, bots))
}

function subscriptionRow(s) {
  const events = s.events?.length ? s.events.join(', ') : t('links.allEvents')
  return h('tr', {}, h('td', { class: 'mono' }, s.chatKey), h('td', {}, s.forge), h('td', { class: 'mono' }, s.target), h('td', {}, events), h('td', {}, s.by ?? ''), h('td', {}, time(s.at)))
}

export function linksCard() {
  const links = h('tbody')
  const subs = h('tbody')
  const load = async () => {
    try {
      const { subscriptions, adapters } = await api('/subscriptions')
      const states = Object.entries(adapters ?? {})
      fill(links, ...(states.length ? states.map(([name, s]) => linkRow(name, s)) : [empty(4, t('links.noLinks'))]))
      fill(subs, ...(subscriptions.length ? subscriptions.map(subscriptionRow) : [empty(6, t('links.noSubscriptions'))]))
    } catch (e) {
      toast(errorText(e), 'error')
    }
  }
  void load()
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'links-title' },
    h('h2', { id: 'links-title' }, t('links.title')),
    h('p', { class: 'help' }, t('links.help')),
    h('div', { class: 'table-wrap' }, h('table', { class: 'list links' }, head(t('links.adapter'), t('links.state'), t('links.detail'), t('links.bots')), links)),
    h('h3', {}, t('links.subscriptions')),
    h('div', { class: 'table-wrap' }, h('table', { class: 'list subscriptions' }, head('chat_key', t('links.forge'), t('links.target'), t('links.events'), t('links.by'), t('links.at')), subs)),
  )
}
