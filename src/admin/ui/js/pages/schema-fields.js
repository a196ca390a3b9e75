// Form controls generated from JSON Schema: text, numbers and durations, enums, booleans, secrets, lists, lists of objects, nested objects.
import { h } from '../dom.js'
import { t } from '../i18n.js'

/** The schema without null in anyOf/oneOf (optional and nullable fields). */
export function plain(schema) {
  const options = schema.anyOf ?? schema.oneOf
  if (options) {
    const real = options.filter((o) => o.type !== 'null')
    if (real.length === 1) return { ...real[0], title: schema.title ?? real[0].title, description: schema.description ?? real[0].description, default: schema.default ?? real[0].default, writeOnly: schema.writeOnly ?? real[0].writeOnly }
  }
  return schema
}

/** Whether an object holds any set value (empty lists and objects do not count). */
const hasValue = (v) => (Array.isArray(v) ? v.length > 0 : v && typeof v === 'object' ? Object.values(v).some(hasValue) : v !== undefined && v !== null && v !== '')
const isMask = (v) => v && typeof v === 'object' && v.secret === true && typeof v.set === 'boolean'
const scalar = (s) => s && ['string', 'integer', 'number'].includes(s.type) && !s.writeOnly
/** Seconds or milliseconds, from the description ("Seconds in which …"), shown as a unit beside the number. */
const unitOf = (s) => (/^seconds\b/i.test(s.description ?? '') ? t('unit.s') : /^milliseconds\b|\bin ms\b/i.test(s.description ?? '') ? t('unit.ms') : /\bin bytes\b/i.test(s.description ?? '') ? t('unit.bytes') : '')

/** The first broken rule of the schema for a value, as a message; '' when it is fine (undefined means not given). */
export function check(s, value, required) {
  if (value === undefined || value === '') return required && s.default === undefined ? t('v.required') : ''
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return t('v.number')
    if (s.type === 'integer' && !Number.isInteger(value)) return t('v.integer')
    if (s.minimum !== undefined && value < s.minimum) return t('v.min', { n: s.minimum })
    if (s.exclusiveMinimum !== undefined && value <= s.exclusiveMinimum) return t('v.more', { n: s.exclusiveMinimum })
    if (s.maximum !== undefined && value > s.maximum) return t('v.max', { n: s.maximum })
  }
  if (typeof value === 'string') {
    if (s.minLength !== undefined && value.length < s.minLength) return t('v.minLength', { n: s.minLength })
    if (s.maxLength !== undefined && value.length > s.maxLength) return t('v.maxLength', { n: s.maxLength })
    if (s.pattern && !new RegExp(s.pattern, 'u').test(value)) return t('v.pattern', { pattern: s.pattern })
  }
  if (Array.isArray(value)) {
    if (s.minItems !== undefined && value.length < s.minItems) return t('v.minItems', { n: s.minItems })
    if (s.maxItems !== undefined && value.length > s.maxItems) return t('v.maxItems', { n: s.maxItems })
  }
  return ''
}

/**
 * ctx: { plugin, fields: Map(path → { error, input, validate }), overridden: Set(path), marks(path) → nodes }.
 * Each control returns { el, read } where read() is the value to send (undefined: not set / keep).
 */
export function control(raw, value, path, ctx, { label, required = false, moved = () => false }) {
  const s = plain(raw)
  const id = `cfg-${ctx.plugin}-${path.replace(/[^A-Za-z0-9_-]/g, '_')}`
  const help = s.description ? h('p', { class: 'help', id: `${id}-help` }, s.description) : null
  const error = h('p', { class: 'field-error', id: `${id}-error` })
  const described = [help && `${id}-help`, `${id}-error`].filter(Boolean).join(' ')
  const title = `${label}${required && s.default === undefined ? ' *' : ''}`

  if (s.type === 'object' && s.properties) {
    // A group of fields: folded while nothing in it is set, so that long optional sections (filters) stay out of the way.
    const set = h('details', { id, class: 'group', open: hasValue(value) || [...ctx.overridden].some((p) => p.startsWith(`${path}.`)) }, h('summary', {}, title, ctx.marks(path)), help)
    const read = objectControls(s, value ?? {}, path, ctx, set, moved)
    ctx.fields.set(path, { error, input: set, validate: () => '' })
    set.append(error)
    return { el: set, read, group: set }
  }
  if (s.type === 'array' && s.items && plain(s.items).type === 'object' && plain(s.items).properties) return objectList(s, plain(s.items), value, path, ctx, { id, title, help, error })

  let input
  let read
  if (s.writeOnly) {
    const set = isMask(value) && value.set
    input = h('input', { id, type: 'password', autocomplete: 'off', placeholder: set ? t('cfg.secretKept') : t('cfg.secretUnset'), 'aria-describedby': described })
    const was = set
    // Untyped, a secret keeps the value stored at its position; an item that moved there says it has none instead.
    read = () => (input.value !== '' ? input.value : moved() && !was ? { secret: true, set: false } : undefined)
    // A list item that moved cannot keep its stored secret (kept secrets are matched by position): it must be typed again.
    ctx.fields.set(path, { error, input, validate: () => (was && moved() && input.value === '' ? t('cfg.secretAgain') : check(s, input.value || undefined, required && !was)) })
  } else if (s.enum) {
    input = h('select', { id, 'aria-describedby': described }, s.enum.map((option) => h('option', { value: String(option) }, String(option))))
    input.value = String(value ?? s.default ?? s.enum[0])
    read = () => s.enum.find((o) => String(o) === input.value)
  } else if (s.type === 'boolean') {
    input = h('input', { id, type: 'checkbox', checked: Boolean(value ?? s.default), 'aria-describedby': described })
    read = () => input.checked
  } else if (s.type === 'integer' || s.type === 'number') {
    input = h('input', { id, type: 'number', inputmode: 'numeric', step: s.type === 'integer' ? '1' : 'any', min: s.minimum, max: s.maximum, value: value ?? '', placeholder: s.default ?? '', 'aria-describedby': described })
    read = () => (input.value === '' ? undefined : Number(input.value))
  } else if (s.type === 'string') {
    const long = (s.maxLength ?? 0) > 500 || /template/i.test(path)
    input = long ? h('textarea', { id, rows: 5, class: 'mono', 'aria-describedby': described, value: value ?? '' }) : h('input', { id, type: 'text', value: value ?? '', placeholder: s.default ?? '', 'aria-describedby': described })
    read = () => (input.value === '' ? undefined : input.value)
  } else if (s.type === 'array' && scalar(plain(s.items ?? {}))) {
    return scalarList(s, plain(s.items), value, path, ctx, { id, title, help, error, described, required })
  } else {
    // Maps and unions: JSON text, empty when not set (never "null").
    input = h('textarea', { id, rows: 4, class: 'mono', 'aria-describedby': described, value: value === undefined ? '' : JSON.stringify(value, null, 2) })
    read = () => {
      const text = input.value.trim()
      if (!text) return undefined
      try {
        return JSON.parse(text)
      } catch {
        return Symbol.for('invalid-json')
      }
    }
    ctx.fields.set(path, { error, input, validate: () => (read() === Symbol.for('invalid-json') ? t('v.json') : check(s, read(), required)) })
  }
  if (!ctx.fields.has(path)) ctx.fields.set(path, { error, input, validate: () => check(s, read(), required) })
  const unit = s.type === 'integer' || s.type === 'number' ? unitOf(s) : ''
  const body = unit ? h('span', { class: 'with-unit' }, input, h('span', { class: 'unit' }, unit)) : input
  const el = s.type === 'boolean' ? h('div', { class: 'field check', dataset: { path } }, input, h('label', { for: id }, title), ctx.marks(path), help, error) : h('div', { class: 'field', dataset: { path } }, h('label', { for: id }, title), ctx.marks(path), help, body, error)
  return { el, read }
}

/** The fields of an object schema into a container; read() gives an object of the fields that are set. */
export function objectControls(schema, value, path, ctx, container, moved = () => false) {
  const required = new Set(schema.required ?? [])
  const readers = Object.entries(schema.properties ?? {}).map(([key, raw]) => {
    const c = control(raw, value?.[key], path ? `${path}.${key}` : key, ctx, { label: plain(raw).title ?? key, required: required.has(key), moved })
    container.append(c.el)
    return [key, c.read]
  })
  return () => Object.fromEntries(readers.map(([key, read]) => [key, read()]).filter(([, v]) => v !== undefined))
}

/** A list of texts or numbers: one input per item, remove buttons, an add button. */
function scalarList(s, item, value, path, ctx, { id, title, help, error, described, required }) {
  const items = h('ul', { class: 'list-editor', id, 'aria-describedby': described })
  const inputs = []
  const add = (v, focus) => {
    const input = h('input', { type: item.type === 'string' ? 'text' : 'number', value: v ?? '', 'aria-label': t('cfg.itemOf', { name: title, n: inputs.length + 1 }) })
    const li = h('li', { class: 'row' }, input, h('button', { type: 'button', class: 'icon', 'aria-label': t('cfg.removeItem'), onclick: () => (inputs.splice(inputs.indexOf(input), 1), li.remove()) }, '✕'))
    inputs.push(input)
    items.append(li)
    if (focus) input.focus()
  }
  for (const v of Array.isArray(value) ? value : []) add(v)
  const initial = value
  const read = () => {
    const list = inputs.map((i) => i.value.trim()).filter((v) => v !== '').map((v) => (item.type === 'string' ? v : Number(v)))
    return list.length === 0 && initial === undefined ? undefined : list
  }
  ctx.fields.set(path, { error, input: items, validate: () => check(s, read(), required) || read()?.map((v) => check(item, v, false)).find(Boolean) || '' })
  const el = h('div', { class: 'field', dataset: { path } }, h('span', { class: 'label' }, title), ctx.marks(path), help, items, h('button', { type: 'button', class: 'add', onclick: () => add('', true), 'aria-label': t('cfg.addTo', { name: title }) }, t('cfg.add')), error)
  return { el, read }
}

/** A list of objects (routes, relays): one fieldset per item with its own controls; remove, move up, add. */
function objectList(s, item, value, path, ctx, { id, title, help, error }) {
  const box = h('div', { class: 'object-list' })
  // Each entry remembers where it came from: a kept secret belongs to that position.
  let entries = (Array.isArray(value) ? value : []).map((v, i) => ({ value: v, origin: i }))
  let readers = []
  const masks = (v) => Object.fromEntries(Object.entries(v ?? {}).filter(([, x]) => isMask(x)))
  const snapshot = () => entries.map((e, i) => ({ ...e, value: { ...masks(e.value), ...readers[i]() } }))
  const render = () => {
    for (const key of [...ctx.fields.keys()]) if (key.startsWith(`${path}.`)) ctx.fields.delete(key)
    box.replaceChildren()
    readers = entries.map((entry, i) => {
      const name = entry.value?.name ?? entry.value?.repository ?? entry.value?.organization ?? ''
      const set = h('fieldset', { class: 'item' }, h('legend', {}, `#${i + 1} ${name}`))
      const read = objectControls(item, entry.value, `${path}.${i}`, ctx, set, () => entry.origin !== i)
      const move = (to) => () => {
        entries = snapshot()
        ;[entries[i], entries[to]] = [entries[to], entries[i]]
        render()
      }
      set.append(
        h(
          'div',
          { class: 'row' },
          i > 0 ? h('button', { type: 'button', onclick: move(i - 1) }, t('cfg.moveUp')) : null,
          h('button', { type: 'button', onclick: () => ((entries = snapshot()), entries.splice(i, 1), render()) }, t('cfg.removeEntry')),
        ),
      )
      box.append(set)
      return read
    })
  }
  render()
  const initial = value
  const read = () => {
    const list = readers.map((r) => r())
    return list.length === 0 && initial === undefined ? undefined : list
  }
  const addButton = h('button', { type: 'button', class: 'add', onclick: () => ((entries = [...snapshot(), { value: {}, origin: -1 }]), render(), box.lastElementChild?.querySelector('input, select, textarea')?.focus()) }, t('cfg.addEntry'))
  const el = h('fieldset', { id, class: 'list-of-objects', dataset: { path } }, h('legend', {}, title, ctx.marks(path)), help, box, addButton, error)
  ctx.fields.set(path, { error, input: el, validate: () => check(s, read(), false) })
  return { el, read }
}
