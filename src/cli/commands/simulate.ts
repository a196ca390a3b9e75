// `hookcat simulate <plugin> <path> [--event E] [--file F]`: signs a bundled sample (or a file) as the real sender would and sends it.
import { createHmac, randomUUID } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import type { Command } from 'commander'
import { previewSamples, SAMPLES_DIR } from '../../plugins/preview.js'
import { adminTarget, localServerUrl } from '../admin-client.js'
import { loadCliConfig } from '../config.js'
import { findDelivery, followDelivery, formatReport, noDelivery } from '../delivery-report.js'
import { CliError } from '../errors.js'

export { SAMPLES_DIR }

const DEFAULT_EVENT: Record<string, string> = { github: 'push', gitlab: 'push', gitea: 'push', alertmanager: 'firing', grafana: 'firing', monitor: 'alert' }
const GITLAB_HEADER: Record<string, string> = {
  push: 'Push Hook', tag_push: 'Tag Push Hook', issue: 'Issue Hook', merge_request: 'Merge Request Hook', note: 'Note Hook',
  pipeline: 'Pipeline Hook', job: 'Job Hook', release: 'Release Hook', deployment: 'Deployment Hook', wiki_page: 'Wiki Page Hook',
}

export interface Simulation {
  path: string
  headers: Record<string, string>
  body: Buffer
}

const WAIT_MS = 30_000

type Config = Record<string, unknown>

const hex = (secret: string, ...parts: Array<string | Buffer>) => parts.reduce((mac, p) => mac.update(p), createHmac('sha256', secret)).digest('hex')

/** The first secret of a field that holds one secret or a rotation list. */
function firstSecret(config: Config, field: string): string | undefined {
  const value = config[field]
  const first = Array.isArray(value) ? value[0] : value
  return typeof first === 'string' && first !== '' ? first : undefined
}

export const sampleEvents = previewSamples

function loadSample(plugin: string, event: string): Buffer {
  const events = sampleEvents(plugin)
  if (events.length === 0) throw new CliError(`there are no bundled samples for "${plugin}"; give the body with --file`)
  if (!events.includes(event)) throw new CliError(`no bundled sample "${event}" for ${plugin}; samples: ${events.join(', ')}`)
  return readFileSync(`${SAMPLES_DIR}${plugin}/${event}.json`)
}

/** Alert samples made fresh, so that the alert plugins' duplicate window does not swallow a second simulation. */
function freshen(plugin: string, body: Buffer): Buffer {
  if (plugin !== 'alertmanager' && plugin !== 'grafana' && plugin !== 'monitor') return body
  const json = JSON.parse(body.toString('utf8')) as Record<string, any>
  const now = new Date().toISOString()
  if (plugin === 'monitor') json.timestamp = Math.floor(Date.now() / 1000)
  else {
    json.groupKey = `${json.groupKey ?? ''} (hookcat simulate ${now})`
    for (const alert of json.alerts ?? []) if (alert.status === 'firing') alert.startsAt = now
  }
  return Buffer.from(JSON.stringify(json, null, 2))
}

/** Unset variables that the read-only config load left out; named when the secret a simulation needs is one of them. */
let omittedEnv: string[] = []

function requireSecret(plugin: string, config: Config, field: string): string {
  const secret = firstSecret(config, field)
  if (secret) return secret
  const path = `plugins.${plugin}.config.${field}`
  const unset = omittedEnv.find((line) => line.startsWith(`${path}:`) || line.startsWith(`${path}.`))
  throw new CliError(unset ? `${unset}: simulate signs with it, as the sender would` : `${path} is not set in the config file: hookcat would refuse the request`)
}

/** GitLab's signing token: Standard Webhooks, key = the base64 part of whsec_…, over "{id}.{timestamp}.{body}". */
function standardWebhooks(token: string, id: string, body: Buffer): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1000))
  const key = Buffer.from(token.replace(/^whsec_/, ''), 'base64')
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest('base64')
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` }
}

/** Builds the request a sender would make: the bytes and the headers, signed with the plugin's configured secret. */
export function buildSimulation(plugin: string, path: string, config: Config, options: { event?: string; file?: string }): Simulation {
  const event = options.event ?? DEFAULT_EVENT[plugin]
  if (!options.file && !event) throw new CliError(`give --file for "${plugin}" (it has no bundled samples)`)
  const body = options.file ? readFileSync(options.file) : freshen(plugin, loadSample(plugin, event!))
  const json = { 'content-type': 'application/json', 'user-agent': 'hookcat-simulate' }
  // A sample "workflow_run.failure" is a workflow_run event: the sender's event name is the part before the dot.
  const eventName = event?.split('.')[0]
  const id = randomUUID()
  switch (plugin) {
    case 'github': {
      const secret = requireSecret(plugin, config, 'webhookSecret')
      return { path, body, headers: { ...json, 'x-github-event': eventName ?? 'push', 'x-github-delivery': id, 'x-hub-signature-256': `sha256=${hex(secret, body)}` } }
    }
    case 'gitlab': {
      const headers: Record<string, string> = { ...json, 'x-gitlab-event': GITLAB_HEADER[eventName ?? 'push'] ?? 'System Hook', 'idempotency-key': id, 'x-gitlab-event-uuid': id }
      const token = firstSecret(config, 'token')
      const signing = firstSecret(config, 'signingToken')
      if (!token && !signing) requireSecret(plugin, config, 'token')
      if (token) headers['x-gitlab-token'] = token
      if (signing) Object.assign(headers, standardWebhooks(signing, id, body))
      return { path, body, headers }
    }
    case 'gitea': {
      const secret = requireSecret(plugin, config, 'webhookSecret')
      return { path, body, headers: { ...json, 'x-gitea-event': eventName ?? 'push', 'x-gitea-delivery': id, 'x-gitea-signature': hex(secret, body) } }
    }
    case 'alertmanager': {
      const bearer = firstSecret(config, 'bearerToken')
      const basic = firstSecret(config, 'basicAuth')
      if (!bearer && !basic) requireSecret(plugin, config, 'bearerToken')
      return { path, body, headers: { ...json, authorization: bearer ? `Bearer ${bearer}` : `Basic ${Buffer.from(basic!).toString('base64')}` } }
    }
    case 'grafana': {
      const secret = firstSecret(config, 'hmacSecret')
      if (!secret) return { path, body, headers: json }
      const tsHeader = typeof config.timestampHeader === 'string' ? config.timestampHeader : undefined
      const ts = String(Math.floor(Date.now() / 1000))
      const signature = tsHeader ? hex(secret, `${ts}:`, body) : hex(secret, body)
      return { path, body, headers: { ...json, 'x-grafana-alerting-signature': signature, ...(tsHeader ? { [tsHeader.toLowerCase()]: ts } : {}) } }
    }
    case 'monitor':
      return { path, body, headers: { ...json, authorization: `Bearer ${requireSecret(plugin, config, 'apiToken')}` } }
    case 'relay': {
      const relays = Array.isArray(config.relays) ? (config.relays as Config[]) : []
      const relay = relays.find((r) => `/${String(r.name)}` === path)
      if (!relay) throw new CliError(`no relay named "${path.slice(1)}" in plugins.relay.config.relays`)
      const headers: Record<string, string> = { ...json }
      if (typeof relay.token === 'string') headers.authorization = `Bearer ${relay.token}`
      if (typeof relay.hmacSecret === 'string') {
        const name = typeof relay.hmacHeader === 'string' ? relay.hmacHeader.toLowerCase() : 'x-signature'
        headers[name] = `${typeof relay.hmacPrefix === 'string' ? relay.hmacPrefix : 'sha256='}${hex(relay.hmacSecret, body)}`
      }
      return { path, body, headers }
    }
    default: {
      const token = firstSecret(config, 'token') ?? firstSecret(config, 'apiToken')
      return { path, body, headers: { ...json, ...(token ? { authorization: `Bearer ${token}` } : {}) } }
    }
  }
}

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description('sign and send a sample event (or a file) to the running server, the way the real sender would')
    .argument('<plugin>', 'github, gitlab, gitea, alertmanager, grafana, monitor, relay, …')
    .argument('<path>', 'the webhook path, e.g. /github or /monitor/alert')
    .option('--event <event>', 'which bundled sample (github: push, issues, pull_request, …; alertmanager: firing, resolved, …)')
    .option('--file <file>', 'send this file as the body instead of a bundled sample')
    .option('--server <url>', 'the running server (default: http://127.0.0.1:<server.port>)')
    .option('--wait', `wait until the delivery is handled and its messages sent (up to ${WAIT_MS / 1000} s); print its outcome and messages`)
    .addHelpText(
      'after',
      `
The secret is the plugin's own from the config file (plugins.<plugin>.config).

Examples:
  hookcat simulate github /github --event pull_request
  hookcat simulate github /github --event push --wait
  hookcat simulate alertmanager /alertmanager --event resolved
  hookcat simulate relay /deploys --file body.json`,
    )
    .action(async (plugin: string, path: string, options: { event?: string; file?: string; server?: string; wait?: boolean }, command: Command) => {
      if (!path.startsWith('/')) path = `/${path}`
      const cli = loadCliConfig(command, undefined, { readOnly: true })
      const config = (cli.config.plugins[plugin]?.config ?? {}) as Config
      omittedEnv = cli.omittedEnv
      if (options.file && !existsSync(options.file)) throw new CliError(`the file ${options.file} does not exist`)
      const simulation = buildSimulation(plugin, path, config, options)
      // Every simulated request carries a delivery id of its own (senders without one get Idempotency-Key).
      const senderId = simulation.headers['x-github-delivery'] ?? simulation.headers['x-gitea-delivery'] ?? simulation.headers['idempotency-key'] ?? randomUUID()
      simulation.headers['idempotency-key'] ??= senderId
      const base = (options.server ?? localServerUrl(cli)).replace(/\/$/, '')
      const url = `${base}/api/plugin/${encodeURIComponent(plugin)}/webhook${simulation.path}`
      let response: Response
      try {
        response = await fetch(url, { method: 'POST', headers: simulation.headers, body: simulation.body, signal: AbortSignal.timeout(15_000) })
      } catch (error) {
        throw new CliError(`could not reach ${base}: ${(error as Error).message} (is "hookcat serve" running?)`)
      }
      const text = await response.text()
      process.stdout.write(`POST ${url}\n${response.status} ${response.statusText}\n${text}\n`)
      if (response.status >= 400) process.exitCode = 1
      if (!options.wait) return
      const target = adminTarget(cli, options.server)
      const id = await findDelivery(target, plugin, text, senderId)
      if (!id) throw noDelivery()
      const report = await followDelivery(target, id, WAIT_MS)
      process.stdout.write(`${formatReport(report, WAIT_MS)}\n`)
      if (['failed', 'dead'].includes(report.delivery.outcome) || report.messages.some((m) => m.state === 'dead')) process.exitCode = 1
    })
}
