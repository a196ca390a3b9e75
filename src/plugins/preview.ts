// The message a built-in plugin would send for a sample event under a given config: the handlers' own formatters and templates.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describeIssues } from '../config/load.js'
import { HookcatError, type Message } from '../index.js'
import { formatGithub } from './github/format/index.js'
import { githubFacts } from './github/facts.js'
import { normalizeGitea } from './gitea/normalize.js'
import { formatGitlab } from './gitlab/format.js'
import { gitlabEvent, gitlabFacts } from './gitlab/facts.js'
import { formatMonitorAlert, monitorScope, parseMonitorAlert } from './monitor/index.js'
import { alertScope } from './shared/alert-send.js'
import { checkAlertBody, formatAlertGroup, grafanaTitle } from './shared/alerts.js'
import { forgeScope, type Json } from './shared/forge.js'
import type { Locale } from './shared/locale.js'
import { applyTemplate, compileMessageTemplate, type TemplateSpec } from './shared/template.js'
import { builtinPlugins } from './index.js'

/** The plugins whose messages can be previewed (the ones with a built-in format and templates). */
export const PREVIEW_PLUGINS = ['github', 'gitlab', 'gitea', 'alertmanager', 'grafana', 'monitor'] as const

/** The bundled samples, test/fixtures/senders/<plugin>/<event>[.<variant>].json (the same from src/ and from dist/); simulate sends them. */
export const SAMPLES_DIR = fileURLToPath(new URL('../../test/fixtures/senders/', import.meta.url))
const SAMPLES = SAMPLES_DIR

/** The names of a sender's bundled samples, sorted ([] for a sender without any). */
export function previewSamples(plugin: string): string[] {
  if (!/^[a-z0-9_-]{1,64}$/.test(plugin) || !existsSync(`${SAMPLES}${plugin}`)) return []
  return readdirSync(`${SAMPLES}${plugin}`).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort()
}

/** A bundled sample's parsed body; an unknown name is a 400 that lists the samples. */
export function loadPreviewSample(plugin: string, sample: string): unknown {
  const names = previewSamples(plugin)
  if (!names.includes(sample)) throw new HookcatError('VALIDATION_FAILED', `no bundled sample "${sample.slice(0, 60)}" for ${plugin}; samples: ${names.join(', ') || 'none'}`)
  return JSON.parse(readFileSync(`${SAMPLES}${plugin}/${sample}.json`, 'utf8'))
}

export interface PreviewInput {
  plugin: string
  /** The sample's name, <event>[.<variant>]: the event is the part before the first dot; a ".success" run is a fix. */
  sample: string
  body: unknown
  /** The plugin's config as in hookcat.yaml (checked against the plugin's schema). */
  config: Record<string, unknown>
  /** Which route's template to use (forge plugins); default the plugin's own. */
  route?: number
  locale?: Locale
  /** The arrival time a monitor alert without timestamp shows. */
  now?: number
}

export interface PreviewResult {
  /** undefined when the template says "not this one" (its title and text render empty). */
  message?: Message
  /** Where the template came from: "template", "routes[0].template", or undefined for the built-in format. */
  template?: string
}

type Parsed = Record<string, unknown> & { locale: Locale; timeZone?: string; template?: TemplateSpec; routes?: Array<{ template?: TemplateSpec }> }

/** The problems of a plugin's config, each naming its path (plugins.<name>.config.…); [] when it is valid. */
export function previewConfigProblems(plugin: string, config: Record<string, unknown>): string[] {
  const definition = builtinPlugins.find((p) => p.name === plugin)
  if (!definition || !(PREVIEW_PLUGINS as readonly string[]).includes(plugin)) return [`"${plugin.slice(0, 40)}" has no message preview; plugins: ${PREVIEW_PLUGINS.join(', ')}`]
  const parsed = definition.config!.safeParse(config)
  return parsed.success ? [] : describeIssues(parsed.error, ['plugins', plugin, 'config'])
}

function parseConfig(plugin: string, config: Record<string, unknown>): Parsed {
  const problems = previewConfigProblems(plugin, config)
  if (problems.length > 0) throw new HookcatError('VALIDATION_FAILED', problems.join('; '))
  return builtinPlugins.find((p) => p.name === plugin)!.config!.parse(config) as Parsed
}

/** The built-in message and the template's scope for a sample. */
function build(plugin: string, sample: string, raw: unknown, config: Parsed, locale: Locale, now: number): { built: Message | undefined; scope: () => Record<string, unknown> } {
  const event = sample.split('.')[0]!
  const fixed = sample.endsWith('.success')
  const timeZone = config.timeZone ?? 'UTC'
  if (plugin === 'monitor') {
    const alert = parseMonitorAlert(raw)
    return { built: formatMonitorAlert(alert, locale, timeZone, now), scope: () => monitorScope(alert, locale, timeZone, now) }
  }
  if (plugin === 'alertmanager' || plugin === 'grafana') {
    const body = checkAlertBody(raw)
    return { built: formatAlertGroup(body, locale, timeZone, plugin === 'grafana' ? grafanaTitle(body) : undefined), scope: () => alertScope(body, locale) }
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new HookcatError('VALIDATION_FAILED', 'The event body must be a JSON object')
  if (plugin === 'gitlab') {
    const name = gitlabEvent(null, raw as Json)
    return { built: formatGitlab(name, raw as Json, locale, { fixed }), scope: () => forgeScope(gitlabFacts(name, raw as Json), raw as Json, locale) }
  }
  const payload = plugin === 'gitea' ? normalizeGitea(event, raw as Json) : (raw as Json)
  return { built: formatGithub(event, payload, locale, { fixed }), scope: () => forgeScope(githubFacts(event, payload), payload, locale) }
}

/** The message the plugin would send for the sample; a template that fails on it is a 400 saying why. */
export async function previewMessage(input: PreviewInput): Promise<PreviewResult> {
  const config = parseConfig(input.plugin, input.config)
  const locale = input.locale ?? config.locale
  const { built, scope } = build(input.plugin, input.sample, input.body, config, locale, input.now ?? Date.now())
  if (!built) return {}
  const routeSpec = input.route === undefined ? undefined : config.routes?.[input.route]?.template
  if (input.route !== undefined && !config.routes?.[input.route]) throw new HookcatError('VALIDATION_FAILED', `routes[${input.route}] does not exist in the config`)
  const spec = routeSpec ?? config.template
  if (spec === undefined) return { message: built }
  const where = routeSpec !== undefined ? `routes[${input.route}].template` : 'template'
  try {
    return { message: await applyTemplate(compileMessageTemplate(spec), scope(), built), template: where }
  } catch (error) {
    throw new HookcatError('VALIDATION_FAILED', `plugins.${input.plugin}.config.${where} failed on this event: ${(error as Error).message.split('\n')[0]!.slice(0, 200)}`)
  }
}
