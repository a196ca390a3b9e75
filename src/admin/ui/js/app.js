// The web UI's entry: sign-in, sign-out, and a hash router that renders one page at a time.
import { api, ApiError, session, whenUnauthorized } from './api.js'
import { clear, h, fill } from './dom.js'
import { renderChats } from './pages/chats.js'
import { renderDeliveries } from './pages/deliveries.js'
import { renderOutbox } from './pages/outbox.js'
import { renderOverview } from './pages/overview.js'
import { renderPlugins } from './pages/plugins.js'

const PAGES = { overview: renderOverview, plugins: renderPlugins, deliveries: renderDeliveries, outbox: renderOutbox, chats: renderChats }
const TITLES = { overview: 'Overview', plugins: 'Plugins', deliveries: 'Deliveries', outbox: 'Outbox', chats: 'Chats' }

const main = document.getElementById('main')
const nav = document.getElementById('nav')
const signOutButton = document.getElementById('signout')
let cleanup = () => undefined

function signInPage(message) {
  nav.hidden = true
  signOutButton.hidden = true
  const input = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'current-password', required: true, 'aria-describedby': 'token-help' })
  const error = h('p', { class: 'error', role: 'alert' }, message ?? '')
  const form = h(
    'form',
    { class: 'card signin', 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title' }, 'Sign in to hookcat'),
    h('label', { for: 'token' }, 'Admin token'),
    input,
    h('p', { id: 'token-help', class: 'help' }, 'hookcat printed where it keeps the token when it started (data/admin-token unless server.adminToken is set). It stays in this tab only.'),
    error,
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'),
  )
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    try {
      await api('/plugins', { token: input.value.trim() })
      session.signIn(input.value.trim())
      location.hash = location.hash && location.hash !== '#/signin' ? location.hash : '#/overview'
      route()
    } catch (e) {
      error.textContent = e instanceof ApiError && e.status === 401 ? 'That token is not right.' : `Could not reach hookcat: ${e.message}`
      input.focus()
    }
  })
  cleanup()
  cleanup = () => undefined
  fill(main, form)
  document.title = 'Sign in · hookcat'
  input.focus()
}

function route() {
  if (!session.token()) return signInPage()
  nav.hidden = false
  signOutButton.hidden = false
  const name = (location.hash.replace(/^#\/?/, '').split('/')[0] || 'overview').toLowerCase()
  const page = PAGES[name] ? name : 'overview'
  for (const link of nav.querySelectorAll('a')) {
    if (link.getAttribute('href') === `#/${page}`) link.setAttribute('aria-current', 'page')
    else link.removeAttribute('aria-current')
  }
  cleanup()
  clear(main)
  document.title = `${TITLES[page]} · hookcat`
  const result = PAGES[page](main)
  cleanup = typeof result === 'function' ? result : () => undefined
}

whenUnauthorized(() => {
  session.signOut()
  signInPage('Your session ended: sign in again.')
})
signOutButton.addEventListener('click', () => {
  session.signOut()
  signInPage('Signed out.')
})
window.addEventListener('hashchange', route)
route()
