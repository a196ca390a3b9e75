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
