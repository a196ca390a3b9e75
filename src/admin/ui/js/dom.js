// Tiny DOM helpers: build elements (HTML and SVG), format times and sizes, show toasts, copy text.
import { t } from './i18n.js'

const SVG = 'http://www.w3.org/2000/svg'

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue
    el.append(child instanceof Node ? child : String(child))
  }
}

/** h('button', { class: 'x', onclick: fn, disabled: true }, 'text', child) */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag)
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value)
    else if (key === 'class') el.className = value
    else if (key === 'dataset') Object.assign(el.dataset, value)
    else if (key === 'value' || key === 'checked') el[key] = value
    else el.setAttribute(key, value === true ? '' : String(value))
  }
  append(el, children)
  return el
}

export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag)
  for (const [key, value] of Object.entries(attrs)) if (value !== undefined && value !== null) el.setAttribute(key, String(value))
  append(el, children)
  return el
}

export function clear(el) {
  el.replaceChildren()
  return el
}

/** Replaces an element's children, skipping null/false (DOM append() would print them as text). */
export function fill(el, ...children) {
  el.replaceChildren()
  append(el, children)
  return el
}

/** A local time with its date, the same unambiguous way in every language: 2026-12-01 08:30:05. */
export function time(ms) {
  if (!ms) return '—'
  const d = new Date(ms)
  const two = (n) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`
}

/** The query of the page's hash ("#/outbox?state=dead" → state=dead). */
export function hashQuery() {
  return new URLSearchParams(location.hash.split('?')[1] ?? '')
}

export function size(bytes) {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`
}

export function toast(text, kind = 'info') {
  const box = document.getElementById('toast')
  const item = h('div', { class: `toast ${kind}` }, text)
  box.append(item)
  setTimeout(() => item.remove(), 4000)
}

export async function copy(text, what = t('copied')) {
  try {
    await navigator.clipboard.writeText(text)
    toast(what)
  } catch {
    toast(t('copy.refused'), 'error')
  }
}

/** A badge; known words (states, outcomes) are shown in the UI's language, the class keeps the word. */
export function badge(text, kind = text) {
  const key = `word.${text}`
  const shown = t(key)
  return h('span', { class: `badge ${kind}`, dataset: { value: text } }, shown === key ? text : shown)
}

/** Pretty-prints JSON text; other text is returned as is. */
export function pretty(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2)
  } catch {
    return text
  }
}

export function errorText(error) {
  return error?.message ?? String(error)
}
