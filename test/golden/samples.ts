// The golden corpus: every built-in plugin × every bundled sample under test/fixtures/senders × both locales, as Messages.
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Message } from '../../src/index.js'
import { formatGithub } from '../../src/plugins/github/format/index.js'
import { normalizeGitea } from '../../src/plugins/gitea/normalize.js'
import { formatGitlab } from '../../src/plugins/gitlab/format.js'
import { gitlabEvent } from '../../src/plugins/gitlab/facts.js'
import { formatAlertGroup, grafanaTitle } from '../../src/plugins/shared/alerts.js'
import { LOCALES, type Locale } from '../../src/plugins/shared/locale.js'
import { formatMonitorAlert, parseMonitorAlert } from '../../src/plugins/monitor/index.js'
import { previewMessage } from '../../src/plugins/preview.js'
import type { TemplateSpec } from '../../src/plugins/shared/template.js'
import { mentionedSamples } from './mentioned.js'

export const FIXTURES = fileURLToPath(new URL('../fixtures/senders/', import.meta.url))
export const PLUGINS = ['github', 'gitea', 'gitlab', 'alertmanager', 'grafana', 'monitor'] as const
export type PluginName = (typeof PLUGINS)[number]
/** Fixed for reproducible times in alert messages. */
export const TIME_ZONE = 'Asia/Shanghai'
export const NOW = Date.UTC(2024, 4, 1)

export interface Sample {
  plugin: PluginName
  sample: string
  locale: Locale
  message: Message | undefined
}

/**
 * Operator templates of the corpus ("my own push format" and its kin, as docs/recipes.md shows them): every sample is
 * also rendered through its plugin's template, as <sample>.templated, by the preview path the CLI and the admin API use.
 */
const FORGE_TEMPLATE: TemplateSpec = {
  title: '{{ default.title | truncate: 100 }}',
  text: '{{ default.text }}\n— {% if actor %}{{ actor }} · {% endif %}{% if locale == "en" %}event{% else %}事件{% endif %} {{ event }}{% if action %}/{{ action }}{% endif %}',
}
const ALERT_TEMPLATE: TemplateSpec = {
  title: '{{ status | upcase }} · {{ default.title }}',
  text: '{% for a in alerts limit: 5 %}{{ forloop.index }}. {{ a.labels.instance | default: a.labels.alertname }} ({{ a.status }})\n{% endfor %}{% if alerts.size > 5 %}…{% endif %}',
}
export const GOLDEN_TEMPLATES: Record<PluginName, TemplateSpec> = {
  github: FORGE_TEMPLATE,
  gitea: FORGE_TEMPLATE,
  gitlab: FORGE_TEMPLATE,
  alertmanager: ALERT_TEMPLATE,
  grafana: ALERT_TEMPLATE,
  monitor: '[{{ level | upcase }}] {{ service }}{% if message != "" %}: {{ message | truncate: 120 }}{% endif %}',
}

function fixtures(plugin: string): Array<{ name: string; body: any }> {
  return readdirSync(join(FIXTURES, plugin))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: f.replace(/\.json$/, ''), body: JSON.parse(readFileSync(join(FIXTURES, plugin, f), 'utf8')) }))
}

/** A sample's message through the plugin's formatter entry point (the one the plugin's handler calls). */
export function formatSample(plugin: PluginName, name: string, body: any, locale: Locale): Message | undefined {
  // Samples are named <event>.<variant>; a CI success posts only when it fixes a failure, so its sample shows that.
  const event = name.split('.')[0]
  const fixed = name.endsWith('.success')
  switch (plugin) {
    case 'github':
      return formatGithub(event, body, locale, { fixed })
    case 'gitea':
      return formatGithub(event, normalizeGitea(event, body), locale, { fixed })
    case 'gitlab':
      return formatGitlab(gitlabEvent(null, body), body, locale, { fixed })
    case 'alertmanager':
      return formatAlertGroup(body, locale, TIME_ZONE)
    case 'grafana':
      return formatAlertGroup(body, locale, TIME_ZONE, grafanaTitle(body))
    case 'monitor':
      return formatMonitorAlert(parseMonitorAlert(body), locale, TIME_ZONE, NOW)
  }
}

export function goldenSamples(): Sample[] {
  const out: Sample[] = []
  for (const plugin of PLUGINS) for (const f of fixtures(plugin)) for (const locale of LOCALES) out.push({ plugin, sample: f.name, locale, message: formatSample(plugin, f.name, f.body, locale) })
  const byName = (plugin: string, name: string) => fixtures(plugin).find((f) => f.name === name)!.body
  out.push(...mentionedSamples(byName, formatSample))
  return out
}

/** Every sample through its plugin's golden template, in both locales. */
export async function templatedSamples(): Promise<Sample[]> {
  const out: Sample[] = []
  for (const plugin of PLUGINS) {
    const config = { template: GOLDEN_TEMPLATES[plugin], ...(['alertmanager', 'grafana', 'monitor'].includes(plugin) ? { timeZone: TIME_ZONE } : {}) }
    for (const f of fixtures(plugin)) {
      for (const locale of LOCALES) {
        const { message } = await previewMessage({ plugin, sample: f.name, body: f.body, config, locale, now: NOW })
        out.push({ plugin, sample: `${f.name}.templated`, locale, message })
      }
    }
  }
  return out
}

/** Every payload of @octokit/webhooks-examples in both locales: checked by the invariants, not committed. */
export function octokitSamples(): Sample[] {
  const require = createRequire(import.meta.url)
  const groups = require('@octokit/webhooks-examples') as Array<{ name: string; examples: Array<Record<string, unknown>> }>
  const out: Sample[] = []
  for (const locale of LOCALES) {
    for (const g of groups) g.examples.forEach((p, i) => out.push({ plugin: 'github', sample: `octokit ${g.name}#${i}${p.action ? ` (${String(p.action)})` : ''}`, locale, message: formatGithub(g.name, p, locale) }))
  }
  return out
}
