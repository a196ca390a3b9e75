// The text `hookcat serve` prints once it listens: addresses, how the admin token was set (never the token), plugins.
import type { Host } from '../host/host.js'
import { VERSION } from '../util/version.js'
import type { CliConfig } from './config.js'
import { describeConfigSource } from './config.js'
import { formatPlugins, pluginViews } from './plugin-list.js'

export function describeAdminToken(token: Host['adminToken']): string {
  switch (token.source) {
    case 'config':
      return 'from config (server.adminToken)'
    case 'generated':
      return `generated and stored in ${token.file} — read it with: cat ${token.file}`
    case 'file':
      return `read from ${token.file}`
  }
}

export function serveBanner(host: Host, cli: CliConfig): string {
  const { host: address } = host.config.server
  const listen = `http://${address.includes(':') ? `[${address}]` : address}:${host.port}`
  return [
    '',
    `hookcat ${VERSION} is listening on ${listen}`,
    `  web UI:       ${host.publicUrl}/`,
    `  admin API:    ${host.publicUrl}/api/admin`,
    `  admin token:  ${describeAdminToken(host.adminToken)}`,
    `  config:       ${describeConfigSource(cli)}`,
    `  storage:      ${describeStorage(host.config.storage)}`,
    `  data folder:  ${host.dataDir}`,
    '',
    'Adapters:',
    ...adapterLines(host),
    '',
    'Webhook URLs:',
    formatPlugins(pluginViews(host.registry.list(), (p, path) => host.webhookUrl(p, path)), host.loadProblems),
    '',
    'Stop with Ctrl+C.',
    '',
  ].join('\n')
}

/** One line per adapter: whether its platform answered the start-up check (probe results that come later are logged). */
function adapterLines(host: Host): string[] {
  const results = host.probes.snapshot()
  const links = host.adapterStates()
  return [...host.adapters.values()].map((adapter) => {
    const link = links[adapter.name]
    const linked = link ? ` · link ${link.state}${link.detail ? ` (${link.detail})` : ''}` : ''
    const r = results[adapter.name] ?? { state: 'not checked' }
    const what = r.state === 'reachable' ? `reachable — ${r.detail}` : r.state === 'unreachable' ? `UNREACHABLE — ${r.detail} (messages wait in the outbox and are retried)` : r.state === 'waiting' ? `waiting — ${r.detail}` : r.state === 'checking' ? 'checking… (the result is logged)' : 'not checked'
    return `  ${`${adapter.name} (${adapter.type})`.padEnd(28)} ${what}${linked}`
  })
}

/** The storage URL without credentials: a sqlite path is shown, a postgres URL only by its host and database. */
export function describeStorage(url: string): string {
  if (url.startsWith('sqlite:')) return url
  try {
    const parsed = new URL(url)
    return `postgres on ${parsed.host}${parsed.pathname}`
  } catch {
    return 'postgres'
  }
}
