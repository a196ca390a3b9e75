// The live preview beside a plugin's config form: a bundled sample rendered with the template being edited, as a platform shows it.
import { api, ApiError } from '../api.js'
import { errorText, fill, h } from '../dom.js'
import { t } from '../i18n.js'
import { messageView } from '../message-view.js'

const PLUGINS = new Set(['github', 'gitlab', 'gitea', 'alertmanager', 'grafana', 'monitor'])
const ADAPTERS = ['web', 'onebot_v11', 'telegram', 'discord', 'slack', 'feishu', 'dingtalk', 'wecom', 'email', 'console']

/** A platform's parts: text as text, request bodies as JSON; never as HTML. */
function partsView(platform) {
  return platform.parts.map((part) => h('pre', { class: 'preview-part' }, typeof part === 'string' ? part : JSON.stringify(part, null, 2)))
}

/**
 * The preview panel for a plugin with a built-in format (null for others). read() gives the form's current values;
 * every edit re-renders (debounced), so a template mistake shows while typing, with its config path.
 */
export async function templatePreview(plugin, read, form) {
  if (!PLUGINS.has(plugin)) return null
  const { samples } = await api(`/plugins/${encodeURIComponent(plugin)}/samples`)
  if (!samples.length) return null
  const sample = h('select', { 'aria-label': t('pv.sample') }, ...samples.map((s) => h('option', { value: s }, s)))
  const adapter = h('select', { 'aria-label': t('pv.adapter') }, ...ADAPTERS.map((a) => h('option', { value: a }, a)))
  const route = h('input', { type: 'number', min: '0', placeholder: t('pv.routeNone'), 'aria-label': t('pv.route'), class: 'narrow' })
  const status = h('p', { class: 'help', role: 'status' })
  const out = h('div', { class: 'preview-out', 'aria-live': 'polite' })
  let timer
  let seq = 0
  const refresh = async () => {
    const mine = ++seq
    const body = { event: sample.value, config: read(), adapter: adapter.value }
    if (route.value !== '') body.route = Number(route.value)
    try {
      const answer = await api(`/plugins/${encodeURIComponent(plugin)}/preview`, { method: 'POST', body })
      if (mine !== seq) return
      const source = answer.template ? t('pv.fromTemplate', { path: `plugins.${plugin}.config.${answer.template}` }) : t('pv.builtIn')
      if (!answer.message) return void (fill(out), (status.textContent = t('pv.skipped')))
      status.textContent = source
      const platform = answer.platforms[0]
      fill(out, ...(adapter.value === 'web' ? [h('div', { class: 'bubble' }, ...messageView(answer.message))] : partsView(platform)))
    } catch (e) {
      if (mine !== seq) return
      fill(out)
      status.textContent = e instanceof ApiError ? e.message : errorText(e)
    }
  }
  const later = () => {
    clearTimeout(timer)
    timer = setTimeout(refresh, 400)
  }
  form.addEventListener('input', later)
  for (const control of [sample, adapter, route]) control.addEventListener('change', refresh)
  void refresh()
  return h(
    'section',
    { class: 'template-preview', 'aria-label': t('pv.title') },
    h('h3', {}, t('pv.title')),
    h('p', { class: 'help' }, t('pv.help')),
    h('div', { class: 'row' }, sample, adapter, route),
    status,
    out,
  )
}
