// A plugin's config form from its JSON Schema: sends only the fields changed, shows overridden fields with revert, errors by field.
import { api, ApiError } from '../api.js'
import { errorText, h, toast } from '../dom.js'
import { t } from '../i18n.js'
import { objectControls } from './schema-fields.js'
import { templatePreview } from './template-preview.js'

const isObject = (v) => v && typeof v === 'object' && !Array.isArray(v)
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b)

/** What differs between two reads of the form: objects field by field, a removed field as null. */
export function changes(before, after) {
  const out = {}
  for (const key of new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])) {
    const a = before?.[key]
    const b = after?.[key]
    if (same(a, b)) continue
    if (isObject(a) && isObject(b)) {
      const inner = changes(a, b)
      if (Object.keys(inner).length) out[key] = inner
    } else out[key] = b === undefined ? null : b
  }
  return out
}

/** Removes overrides (the fields given, or all) so that hookcat.yaml applies again. */
export async function revert(plugin, fields, onDone) {
  try {
    await api(`/plugins/${encodeURIComponent(plugin)}/config/revert`, { method: 'POST', body: { fields } })
    toast(fields.length ? t('cfg.reverted', { fields: fields.join(', ') }) : t('cfg.revertedAll', { plugin }))
  } catch (e) {
    toast(errorText(e), 'error')
  }
  onDone?.()
}

function shownValue(v) {
  if (v === undefined) return t('cfg.notSet')
  if (isObject(v) && v.secret === true) return v.set ? t('cfg.secretSetShort') : t('cfg.notSet')
  return JSON.stringify(v)
}

const at = (config, path) => path.split('.').reduce((v, k) => (isObject(v) ? v[k] : undefined), config)

export async function configForm(plugin, onSaved) {
  const { config, schema, overridden = [], fileConfig } = await api(`/plugins/${encodeURIComponent(plugin)}/config`)
  if (!schema || !schema.properties || Object.keys(schema.properties).length === 0) return h('p', { class: 'help' }, t('cfg.none'))
  const overriddenSet = new Set(overridden)
  const ctx = {
    plugin,
    fields: new Map(),
    overridden: overriddenSet,
    marks: (path) =>
      overriddenSet.has(path)
        ? h(
            'span',
            { class: 'override-mark' },
            h('span', { class: 'badge warning' }, t('cfg.overridden')),
            h('span', { class: 'help' }, t('cfg.fileValue', { value: fileConfig ? shownValue(at(fileConfig, path)) : '?' })),
            h('button', { type: 'button', class: 'link', onclick: () => revert(plugin, [path], onSaved), 'aria-label': t('cfg.revertField', { field: path }) }, t('cfg.revert')),
          )
        : null,
  }
  const summary = h('div', { class: 'error', role: 'alert' })
  const form = h('form', { class: 'config', novalidate: true, 'aria-label': t('cfg.formLabel', { plugin }) })
  form.append(h('p', { class: 'help' }, overridden.length ? t('cfg.sourceMixed') : t('cfg.sourceFile')))
  const read = objectControls(schema, config, '', ctx, form)
  const initial = read()
  const save = h('button', { type: 'submit', class: 'primary' }, t('cfg.save'))
  const revertAll = overridden.length ? h('button', { type: 'button', onclick: () => revert(plugin, [], onSaved) }, t('cfg.revertAll')) : null
  form.append(summary, h('div', { class: 'row' }, save, revertAll))
  const previewSlot = h('div')
  form.append(previewSlot)
  templatePreview(plugin, read, form).then((panel) => panel && previewSlot.append(panel), () => undefined)

  const show = (fields) => {
    let first
    for (const [path, message] of Object.entries(fields)) {
      // The nearest field the form has for a path such as routes.2.chats.1.
      let key = path
      while (key && !ctx.fields.has(key)) key = key.includes('.') ? key.slice(0, key.lastIndexOf('.')) : ''
      const target = ctx.fields.get(key)
      if (!target) continue
      target.error.textContent = target.error.textContent ? `${target.error.textContent}; ${message}` : message
      target.input.setAttribute('aria-invalid', 'true')
      first ??= target.input
    }
    first?.focus()
    return first
  }
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    summary.textContent = ''
    for (const { error, input } of ctx.fields.values()) {
      error.textContent = ''
      input.removeAttribute('aria-invalid')
    }
    const local = Object.fromEntries([...ctx.fields].map(([path, f]) => [path, f.validate()]).filter(([, m]) => m))
    if (Object.keys(local).length) {
      show(local)
      summary.textContent = t('cfg.needAttention', { n: Object.keys(local).length })
      return
    }
    const changed = changes(initial, read())
    if (Object.keys(changed).length === 0) return void toast(t('cfg.nothingChanged'))
    save.disabled = true
    try {
      await api(`/plugins/${encodeURIComponent(plugin)}/config`, { method: 'PUT', body: { config: changed } })
      toast(t('cfg.saved', { plugin }))
      onSaved?.()
    } catch (e) {
      const fields = e instanceof ApiError ? e.details?.fields : undefined
      if (fields) show(fields)
      summary.textContent = fields ? t('cfg.notSaved', { n: Object.keys(fields).length }) : errorText(e)
    } finally {
      save.disabled = false
    }
  })
  return form
}
