// Plugins: state, version, description, webhook URLs with copy buttons and curl examples, actions, and the config form.
import { api } from '../api.js'
import { badge, clear, copy, errorText, h, toast, fill } from '../dom.js'
import { t } from '../i18n.js'
import { configForm, revert } from './config-form.js'
import { curlExample } from './curl.js'

/** What the server says about who may call the webhook (computed by the check the ingress runs), in words. */
function accessNote(webhook) {
  const checks = webhook.verify.join('; ')
  if (webhook.access === 'verified') return [t('wh.verification', { checks }), ' ', badge(t('wh.secretSet'), 'ok')]
  if (webhook.access === 'refused') return [t('wh.verification', { checks }), ' ', badge(t('wh.refused'), 'bad')]
  return [webhook.verify.length ? t('wh.openUnset', { checks }) : t('wh.open'), ' ', badge(t('wh.public'), 'warning')]
}

function webhookRow(webhook) {
  const curl = curlExample(webhook)
  return h(
    'li',
    { class: 'webhook', dataset: { access: webhook.access } },
    h('div', { class: 'row' }, webhook.methods.map((m) => badge(m, 'method')), badge(webhook.mode), webhook.description ? h('span', {}, webhook.description) : null),
    h('div', { class: 'row url' }, h('code', { class: 'webhook-url' }, webhook.url), h('button', { type: 'button', onclick: () => copy(webhook.url, t('copy.urlDone')), 'aria-label': t('copy.urlLabel', { url: webhook.url }) }, t('copy.url'))),
    h('p', { class: 'help access' }, accessNote(webhook)),
    h('details', {}, h('summary', {}, t('wh.curl')), h('pre', { class: 'mono' }, curl), h('button', { type: 'button', onclick: () => copy(curl, t('copy.exampleDone')) }, t('copy.example'))),
  )
}

function pluginCard(plugin, reload) {
  const settings = h('div', { class: 'settings' })
  const action = (name) => async (event) => {
    event.currentTarget.disabled = true
    try {
      await api(`/plugins/${encodeURIComponent(plugin.name)}/${name}`, { method: 'POST' })
      toast(t(`plugin.${name}d`, { name: plugin.name }))
    } catch (e) {
      toast(errorText(e), 'error')
    }
    reload()
  }
  const toggle = h('button', { type: 'button', 'aria-expanded': 'false' }, t('plugin.settings'))
  toggle.addEventListener('click', async () => {
    const open = toggle.getAttribute('aria-expanded') === 'true'
    toggle.setAttribute('aria-expanded', String(!open))
    if (open) return void clear(settings)
    try {
      fill(settings, await configForm(plugin.name, reload))
      settings.querySelector('input, select, textarea')?.focus()
    } catch (e) {
      fill(settings, h('p', { class: 'error' }, errorText(e)))
    }
  })
  const overridden = plugin.overridden ?? []
  return h(
    'article',
    { class: 'card plugin', 'aria-labelledby': `plugin-${plugin.name}`, dataset: { plugin: plugin.name } },
    h('header', { class: 'row' }, h('h2', { id: `plugin-${plugin.name}` }, plugin.name), h('span', { class: 'muted' }, `v${plugin.version}`), badge(plugin.state)),
    plugin.description ? h('p', {}, plugin.description) : null,
    plugin.error ? h('p', { class: 'error' }, plugin.error) : null,
    overridden.length
      ? h('p', { class: 'overridden-note row' }, badge(t('cfg.overridden'), 'warning'), t('plugin.overriddenFields', { fields: overridden.join(', ') }), h('button', { type: 'button', class: 'link', onclick: () => revert(plugin.name, [], reload) }, t('cfg.revertAll')))
      : null,
    plugin.webhooks.length ? h('ul', { class: 'webhooks' }, plugin.webhooks.map(webhookRow)) : h('p', { class: 'help' }, plugin.state === 'loaded' ? t('plugin.noWebhooks') : t('plugin.webhooksLater')),
    h(
      'div',
      { class: 'row actions' },
      plugin.enabled ? h('button', { type: 'button', onclick: action('disable') }, t('plugin.disable')) : h('button', { type: 'button', class: 'primary', onclick: action('enable') }, t('plugin.enable')),
      h('button', { type: 'button', onclick: action('reload') }, t('plugin.reload')),
      toggle,
    ),
    settings,
  )
}

export function renderPlugins(root) {
  const list = h('div', { class: 'stack' }, h('p', {}, t('loading')))
  root.append(h('h1', {}, t('nav.plugins')), list)
  let stopped = false
  const load = async () => {
    try {
      const { plugins, loadProblems } = await api('/plugins')
      if (stopped) return
      fill(list, ...loadProblems.map((p) => h('p', { class: 'error card' }, t('plugin.notLoaded', { source: p.source, error: p.error }))), ...plugins.map((p) => pluginCard(p, load)))
    } catch (e) {
      fill(list, h('p', { class: 'error', role: 'alert' }, errorText(e)))
    }
  }
  void load()
  return () => {
    stopped = true
  }
}
