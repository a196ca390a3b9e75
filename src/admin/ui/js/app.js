// The web UI's entry: sign-in, sign-out, the language switch, and a hash router ("#/page?query") that renders one page at a time.
import { api, ApiError, session, whenUnauthorized } from './api.js'
import { clear, h, fill } from './dom.js'
import { lang, LANGUAGES, setLang, t, translateStatic } from './i18n.js'
import { renderChats } from './pages/chats.js'
import { renderDeliveries } from './pages/deliveries.js'
import { renderOutbox } from './pages/outbox.js'
import { renderOverview } from './pages/overview.js'
import { renderPlugins } from './pages/plugins.js'

const PAGES = { overview: renderOverview, plugins: renderPlugins, deliveries: renderDeliveries, outbox: renderOutbox, chats: renderChats }

const main = document.getElementById('main')
const nav = document.getElementById('nav')
const signOutButton = document.getElementById('signout')
const langSelect = document.getElementById('lang')
let cleanup = () => undefined
let signInMessage

/** The page name of a hash like "#/outbox?state=dead". */
function pageOf(hash) {
  const name = (hash.replace(/^#\/?/, '').split(/[/?]/)[0] || 'overview').toLowerCase()
  return PAGES[name] ? name : 'overview'
}

function signInPage(message) {
  signInMessage = message
  nav.hidden = true
  signOutButton.hidden = true
  const input = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'current-password', required: true, 'aria-describedby': 'token-help' })
  const error = h('p', { class: 'error', role: 'alert' }, message ? t(message) : '')
  const form = h(
    'form',
    { class: 'card signin', 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title' }, t('signin.title')),
    h('label', { for: 'token' }, t('signin.token')),
    input,
    h('p', { id: 'token-help', class: 'help' }, t('signin.help')),
    error,
    h('button', { type: 'submit', class: 'primary' }, t('signin.submit')),
  )
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    try {
      await api('/plugins', { token: input.value.trim() })
      session.signIn(input.value.trim())
      location.hash = location.hash && location.hash !== '#/signin' ? location.hash : '#/overview'
      route()
    } catch (e) {
      error.textContent = e instanceof ApiError && e.status === 401 ? t('signin.wrong') : t('signin.unreachable', { error: e.message })
      input.focus()
    }
  })
  cleanup()
  cleanup = () => undefined
  fill(main, form)
  document.title = `${t('signin.title')} · hookcat`
  input.focus()
}

function route() {
  if (!session.token()) return signInPage(signInMessage)
  nav.hidden = false
  signOutButton.hidden = false
  const page = pageOf(location.hash)
  for (const link of nav.querySelectorAll('a')) {
    if (link.getAttribute('href') === `#/${page}`) link.setAttribute('aria-current', 'page')
    else link.removeAttribute('aria-current')
  }
  cleanup()
  clear(main)
  document.title = `${t(`nav.${page}`)} · hookcat`
  const result = PAGES[page](main)
  cleanup = typeof result === 'function' ? result : () => undefined
}

fill(langSelect, LANGUAGES.map((l) => h('option', { value: l.code }, l.name)))
langSelect.value = lang()
langSelect.addEventListener('change', () => {
  setLang(langSelect.value)
  translateStatic()
  route()
})
translateStatic()

whenUnauthorized(() => {
  session.signOut()
  signInPage('signin.ended')
})
signOutButton.addEventListener('click', () => {
  session.signOut()
  signInPage('signin.signedOut')
})
window.addEventListener('hashchange', route)
route()
