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
  /** Config fields set in the admin UI on top of hookcat.yaml. */
  overridden: string[]
  webhooks: Array<{ url: string; path: string; methods: string[]; mode: string; verify: string[]; secretSet: boolean; public: boolean; access: string }>
}

export function pluginViews(list: PluginInfo[], webhookUrl: (plugin: string, path: string) => string): PluginView[] {
  return list.map((p) => ({
    name: p.name,
    version: p.version,
    state: p.state,
    source: p.source,
    description: p.description,
    ...(p.error ? { error: p.error } : {}),
    overridden: p.overridden,
    webhooks: p.webhooks.map((w) => ({
      url: webhookUrl(p.name, w.path),
      path: w.path,
      methods: w.methods,
      mode: w.mode,
      verify: w.verify,
      secretSet: w.secretSet,
      public: w.public,
      access: w.access,
    })),
  }))
}

/** One block per plugin: a header line, then one indented line per webhook URL. */
export function formatPlugins(views: PluginView[], problems: PluginLoadProblem[] = []): string {
  const lines: string[] = []
  if (views.length === 0) lines.push('  (no plugins)')
  for (const p of views) {
    lines.push(`  ${p.name} ${p.version}  ${p.state}${p.error ? `: ${p.error}` : ''}`)
    if (p.overridden.length) lines.push(`      config overridden in the admin UI: ${p.overridden.join(', ')} (undo: hookcat config revert ${p.name})`)
    if (p.state === 'disabled' && p.webhooks.length === 0) lines.push('      (disabled: its webhooks appear once it is enabled)')
    else if (p.state === 'loaded' && p.webhooks.length === 0) lines.push('      (no webhooks with its current config)')
    for (const w of p.webhooks) {
      const notes = [w.mode === 'async' ? 'async' : '', w.access === 'refused' ? 'secret not set: requests are refused' : w.access === 'open' && w.verify.length > 0 ? 'public: no secret set, requests are not checked' : '']
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

/** The routes chats added themselves with /hookcat subscribe (beside the config's, which `hookcat.yaml` shows). */
export function formatSubscriptions(subs: Array<{ forge: string; target: string; chatKey: string; events: string[] }>): string {
  if (subs.length === 0) return '  (none: a group admin adds one with /hookcat subscribe github owner/repo)'
  return subs.map((s) => `  ${s.forge.padEnd(7)} ${s.target} → ${s.chatKey}${s.events.length ? `  (${s.events.join(', ')})` : ''}`).join('\n')
}
