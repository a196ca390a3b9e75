// Describes plugins for people (banner, `hookcat plugins`) and machines (--json), each webhook with its full URL.
import type { PluginInfo } from '../host/plugin/registry.js'
import type { PluginLoadProblem } from '../host/host.js'

export interface PluginView {
  name: string
  version: string
  state: string
  source: string
  description: string
  error?: string
  webhooks: Array<{ url: string; path: string; methods: string[]; mode: string; verify: string[]; secretSet: boolean; public: boolean }>
}

export function pluginViews(list: PluginInfo[], webhookUrl: (plugin: string, path: string) => string): PluginView[] {
  return list.map((p) => ({
    name: p.name,
    version: p.version,
    state: p.state,
    source: p.source,
    description: p.description,
    ...(p.error ? { error: p.error } : {}),
    webhooks: p.webhooks.map((w) => ({
      url: webhookUrl(p.name, w.path),
      path: w.path,
      methods: w.methods,
      mode: w.mode,
      verify: w.verify,
      secretSet: w.secretSet,
      public: w.public,
    })),
  }))
}

/** One block per plugin: a header line, then one indented line per webhook URL. */
export function formatPlugins(views: PluginView[], problems: PluginLoadProblem[] = []): string {
  const lines: string[] = []
  if (views.length === 0) lines.push('  (no plugins)')
  for (const p of views) {
    lines.push(`  ${p.name} ${p.version}  ${p.state}${p.error ? `: ${p.error}` : ''}`)
    if (p.state === 'disabled' && p.webhooks.length === 0) lines.push('      (disabled: its webhooks appear once it is enabled)')
    else if (p.state === 'loaded' && p.webhooks.length === 0) lines.push('      (no webhooks with its current config)')
    for (const w of p.webhooks) {
      const notes = [w.mode === 'async' ? 'async' : '', !w.public && w.verify.length > 0 && !w.secretSet ? 'secret not set: requests are refused' : '']
        .filter(Boolean)
        .join(', ')
      lines.push(`      ${w.methods.join(',').padEnd(10)} ${w.url}${notes ? `  (${notes})` : ''}`)
    }
  }
  if (problems.length) {
    lines.push('', 'Plugins that could not be loaded:')
    for (const problem of problems) lines.push(`  ${problem.source}: ${problem.error}`)
  }
  return lines.join('\n')
}
