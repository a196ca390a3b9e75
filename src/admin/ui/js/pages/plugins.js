// Plugins: state, version, description, webhook URLs with copy buttons and curl examples, actions, and the config form.
import { api } from '../api.js'
import { badge, clear, copy, errorText, h, toast, fill } from '../dom.js'
import { configForm } from './config-form.js'
import { curlExample } from './curl.js'

function webhookRow(webhook) {
  const curl = curlExample(webhook)
  return h(
    'li',
    { class: 'webhook' },
    h('div', { class: 'row' }, webhook.methods.map((m) => badge(m, 'method')), badge(webhook.mode), webhook.description ? h('span', {}, webhook.description) : null),
    h('div', { class: 'row url' }, h('code', { class: 'webhook-url' }, webhook.url), h('button', { type: 'button', onclick: () => copy(webhook.url, 'URL copied'), 'aria-label': `Copy the URL ${webhook.url}` }, 'Copy URL')),
    h(
      'p',
      { class: 'help' },
      webhook.verify.length ? `Verification: ${webhook.verify.join('; ')}. ` : webhook.public ? 'Public: no verification. ' : 'No verification. ',
      webhook.verify.length ? (webhook.secretSet ? badge('secret set', 'ok') : badge('secret not set — requests are refused', 'bad')) : null,
    ),
    h('details', {}, h('summary', {}, 'curl example'), h('pre', { class: 'mono' }, curl), h('button', { type: 'button', onclick: () => copy(curl, 'Example copied') }, 'Copy example')),
  )
}

function pluginCard(plugin, reload) {
  const settings = h('div', { class: 'settings' })
  const action = (name) => async (event) => {
    event.currentTarget.disabled = true
    try {
      await api(`/plugins/${encodeURIComponent(plugin.name)}/${name}`, { method: 'POST' })
      toast(`${plugin.name}: ${name}d`)
    } catch (e) {
      toast(errorText(e), 'error')
    }
    reload()
  }
  const toggle = h('button', { type: 'button', 'aria-expanded': 'false' }, 'Settings')
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
  return h(
    'article',
    { class: 'card plugin', 'aria-labelledby': `plugin-${plugin.name}`, dataset: { plugin: plugin.name } },
    h('header', { class: 'row' }, h('h2', { id: `plugin-${plugin.name}` }, plugin.name), h('span', { class: 'muted' }, `v${plugin.version}`), badge(plugin.state)),
    plugin.description ? h('p', {}, plugin.description) : null,
    plugin.error ? h('p', { class: 'error' }, plugin.error) : null,
    plugin.webhooks.length ? h('ul', { class: 'webhooks' }, plugin.webhooks.map(webhookRow)) : h('p', { class: 'help' }, plugin.state === 'loaded' ? 'No webhooks.' : 'Webhooks show once the plugin is loaded.'),
    h(
      'div',
      { class: 'row actions' },
      plugin.enabled ? h('button', { type: 'button', onclick: action('disable') }, 'Disable') : h('button', { type: 'button', class: 'primary', onclick: action('enable') }, 'Enable'),
      h('button', { type: 'button', onclick: action('reload') }, 'Reload'),
      toggle,
    ),
    settings,
  )
}

export function renderPlugins(root) {
  const list = h('div', { class: 'stack' }, h('p', {}, 'Loading…'))
  root.append(h('h1', {}, 'Plugins'), list)
  let stopped = false
  const load = async () => {
    try {
      const { plugins, loadProblems } = await api('/plugins')
      if (stopped) return
      fill(list, 
        ...loadProblems.map((p) => h('p', { class: 'error card' }, `Not loaded: ${p.source}: ${p.error}`)),
        ...plugins.map((p) => pluginCard(p, load)),
      )
    } catch (e) {
      fill(list, h('p', { class: 'error', role: 'alert' }, errorText(e)))
    }
  }
  void load()
  return () => {
    stopped = true
  }
}
