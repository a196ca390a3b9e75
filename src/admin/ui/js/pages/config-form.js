// A config form generated from a plugin's JSON Schema: titles, descriptions, defaults, write-only secrets, per-field errors.
import { api, ApiError } from '../api.js'
import { errorText, h, toast } from '../dom.js'

/** The schema without null in anyOf/oneOf (optional and nullable fields). */
function plain(schema) {
  const options = schema.anyOf ?? schema.oneOf
  if (options) {
    const real = options.filter((o) => o.type !== 'null')
    if (real.length === 1) return { ...real[0], title: schema.title ?? real[0].title, description: schema.description ?? real[0].description, default: schema.default ?? real[0].default }
  }
  return schema
}

const fieldId = (plugin, path) => `cfg-${plugin}-${path.replace(/[^A-Za-z0-9_-]/g, '_')}`

function isMask(value) {
  return value && typeof value === 'object' && value.secret === true && typeof value.set === 'boolean'
}

/** Builds inputs for an object schema; returns read() giving the value to send. */
function objectFields(plugin, schema, value, path, container, errorsAt) {
  const readers = []
  const required = new Set(schema.required ?? [])
  for (const [key, raw] of Object.entries(schema.properties ?? {})) {
    const field = plain(raw)
    const fieldPath = path ? `${path}.${key}` : key
    const id = fieldId(plugin, fieldPath)
    const current = value?.[key]
    const label = `${field.title ?? key}${required.has(key) && field.default === undefined ? ' *' : ''}`
    const help = field.description ? h('p', { class: 'help', id: `${id}-help` }, field.description) : null
    const error = h('p', { class: 'field-error', id: `${id}-error` })
    errorsAt.set(fieldPath, { error, id })
    const described = [help && `${id}-help`, `${id}-error`].filter(Boolean).join(' ')
    if (field.type === 'object' && field.properties) {
      const set = h('fieldset', {}, h('legend', {}, field.title ?? key), help)
      const read = objectFields(plugin, field, current ?? {}, fieldPath, set, errorsAt)
      container.append(set)
      readers.push(() => [key, read()])
      continue
    }
    let input
    let read
    if (field.writeOnly) {
      const set = isMask(current) && current.set
      input = h('input', { id, type: 'password', autocomplete: 'off', placeholder: set ? 'set — leave empty to keep' : 'not set', 'aria-describedby': described })
      read = () => (input.value === '' ? undefined : input.value)
    } else if (field.enum) {
      input = h('select', { id, 'aria-describedby': described }, field.enum.map((option) => h('option', { value: String(option) }, String(option))))
      input.value = String(current ?? field.default ?? field.enum[0])
      read = () => field.enum.find((o) => String(o) === input.value)
    } else if (field.type === 'boolean') {
      input = h('input', { id, type: 'checkbox', checked: Boolean(current ?? field.default), 'aria-describedby': described })
      read = () => input.checked
    } else if (field.type === 'integer' || field.type === 'number') {
      input = h('input', { id, type: 'number', step: field.type === 'integer' ? '1' : 'any', value: current ?? '', placeholder: field.default ?? '', 'aria-describedby': described })
      read = () => (input.value === '' ? undefined : Number(input.value))
    } else if (field.type === 'string') {
      input = h('input', { id, type: 'text', value: current ?? '', placeholder: field.default ?? '', 'aria-describedby': described })
      read = () => (input.value === '' ? undefined : input.value)
    } else {
      // Arrays, records and unions: edited as JSON; secrets inside stay masked and are kept when sent back.
      input = h('textarea', { id, rows: 4, class: 'mono', 'aria-describedby': described, value: JSON.stringify(current ?? field.default ?? null, null, 2) })
      read = () => {
        const text = input.value.trim()
        if (!text || text === 'null') return undefined
        try {
          return JSON.parse(text)
        } catch {
          throw Object.assign(new Error('not valid JSON'), { field: fieldPath })
        }
      }
    }
    const row = h('div', { class: `field ${field.type === 'boolean' ? 'check' : ''}` }, h('label', { for: id }, label), input, help, error)
    container.append(row)
    readers.push(() => [key, read()])
  }
  return () => Object.fromEntries(readers.map((r) => r()).filter(([, v]) => v !== undefined))
}

export async function configForm(plugin, onSaved) {
  const { config, schema, source } = await api(`/plugins/${encodeURIComponent(plugin)}/config`)
  if (!schema || !schema.properties || Object.keys(schema.properties).length === 0) return h('p', { class: 'help' }, 'This plugin has no settings.')
  const errorsAt = new Map()
  const summary = h('div', { class: 'error', role: 'alert' })
  const form = h('form', { class: 'config', novalidate: true, 'aria-label': `${plugin} settings` })
  form.append(h('p', { class: 'help' }, source === 'admin' ? 'Saved from this page (overrides hookcat.yaml).' : 'From hookcat.yaml. Saving here overrides it.'))
  const read = objectFields(plugin, schema, config, '', form, errorsAt)
  const save = h('button', { type: 'submit', class: 'primary' }, 'Save and reload')
  form.append(summary, save)
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    summary.textContent = ''
    for (const { error, id } of errorsAt.values()) {
      error.textContent = ''
      document.getElementById(id)?.removeAttribute('aria-invalid')
    }
    save.disabled = true
    try {
      await api(`/plugins/${encodeURIComponent(plugin)}/config`, { method: 'PUT', body: { config: read() } })
      toast(`${plugin}: settings saved`)
      onSaved?.()
    } catch (e) {
      const fields = e instanceof ApiError ? e.details?.fields : e.field ? { [e.field]: e.message } : undefined
      let first
      for (const [path, message] of Object.entries(fields ?? {})) {
        const target = errorsAt.get(path) ?? errorsAt.get(path.replace(/\.\d+.*$/, ''))
        if (!target) continue
        target.error.textContent = message
        document.getElementById(target.id)?.setAttribute('aria-invalid', 'true')
        first ??= target.id
      }
      summary.textContent = fields ? `Not saved: ${Object.keys(fields).length} field(s) need attention.` : errorText(e)
      if (first) document.getElementById(first)?.focus()
    } finally {
      save.disabled = false
    }
  })
  return form
}
