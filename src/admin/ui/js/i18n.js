// The UI's languages (en, zh-CN): follows the browser until one is chosen, remembered in localStorage; t() looks text up.
import { EN, ZH } from './messages.js'

const KEY = 'hookcat.lang'
export const LANGUAGES = [
  { code: 'en', name: 'English' },
  { code: 'zh-CN', name: '简体中文' },
]
const TABLES = { en: EN, 'zh-CN': ZH }

function fromBrowser() {
  for (const tag of navigator.languages ?? [navigator.language]) {
    const lower = String(tag).toLowerCase()
    if (lower.startsWith('zh')) return 'zh-CN'
    if (lower.startsWith('en')) return 'en'
  }
  return 'en'
}

let current = TABLES[localStorage.getItem(KEY)] ? localStorage.getItem(KEY) : fromBrowser()

export const lang = () => current

export function setLang(code) {
  if (!TABLES[code]) return
  current = code
  localStorage.setItem(KEY, code)
  document.documentElement.lang = code
}

/** The text for a key in the current language (English when missing), with {name} placeholders filled. */
export function t(key, params = {}) {
  const text = TABLES[current][key] ?? EN[key] ?? key
  return text.replace(/\{(\w+)\}/g, (all, name) => (name in params ? String(params[name]) : all))
}

/** Fills elements marked data-i18n (text) and data-i18n-label (aria-label) in the static page. */
export function translateStatic(root = document) {
  document.documentElement.lang = current
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n)
  for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel))
}
