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
    ...adapterLines(host),
    '',
    'Webhook URLs:',
    formatPlugins(pluginViews(host.registry.list(), (p, path) => host.webhookUrl(p, path)), host.loadProblems),
    '',
    'Stop with Ctrl+C.',
    '',
  ].join('\n')
}

/** Adapters with a live link (OneBot over WebSocket, HTTP event reporting): how they receive, and their state now. */
function adapterLines(host: Host): string[] {
  return Object.entries(host.adapterStates()).map(([name, s]) => `  adapter ${name}: ${s.state}${s.detail ? ` (${s.detail})` : ''}`)
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
