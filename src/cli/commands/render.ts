// `hookcat render <plugin> --event E [--file F] [--adapter A] [--locale L]`: what each platform would receive, with the config's templates.
import { readFileSync } from 'node:fs'
import type { Command } from 'commander'
import { previewPlatforms, type PlatformPreview } from '../../admin/preview-platforms.js'
import { HookcatError } from '../../util/errors.js'
import { loadPreviewSample, previewConfigProblems, previewMessage, PREVIEW_PLUGINS } from '../../plugins/preview.js'
import { loadCliConfig } from '../config.js'
import { CliError, EXIT_CONFIG } from '../errors.js'

const DEFAULT_EVENT: Record<string, string> = { github: 'push', gitlab: 'push', gitea: 'push', alertmanager: 'firing', grafana: 'firing', monitor: 'alert' }

interface RenderOptions {
  event?: string
  file?: string
  adapter?: string[]
  locale?: 'zh-CN' | 'en'
  route?: string
  json?: boolean
}

/** One platform's parts for a terminal: text as it is, request bodies as indented JSON. */
function printable(p: PlatformPreview): string {
  const parts = p.parts.map((part, i) => `${p.parts.length > 1 ? `part ${i + 1}/${p.parts.length}\n` : ''}${typeof part === 'string' ? part.replace(/\n$/, '') : JSON.stringify(part, null, 2)}`)
  return `── ${p.adapter} ──\n${parts.join('\n')}\n`
}

export function registerRender(program: Command): void {
  program
    .command('render')
    .description('preview a message per platform: a bundled sample (or --file) through the plugin\'s format and the config\'s templates')
    .argument('<plugin>', `one of ${PREVIEW_PLUGINS.join(', ')}`)
    .option('--event <sample>', 'a bundled sample: push, workflow_run.failure, firing, … (default: the plugin\'s usual one)')
    .option('--file <path>', 'a JSON payload of your own (its event given by --event)')
    .option('--adapter <type...>', 'only these adapter types, or adapter instances of the config (default: every type)')
    .option('--locale <locale>', 'zh-CN or en (default: the plugin\'s locale)')
    .option('--route <n>', 'use the template of routes[n] instead of the plugin\'s own')
    .option('--json', 'print the message and every platform\'s parts as JSON')
    .addHelpText(
      'after',
      `
Nothing is sent and no server is needed: each adapter's own rendering runs with placeholder settings.

Examples:
  hookcat render github --event push
  hookcat render github --event workflow_run.failure --adapter onebot_v11 telegram
  hookcat render alertmanager --event firing --locale en --json
  hookcat render gitlab --file ./my-push.json --event push --route 0`,
    )
    .action(async (plugin: string, options: RenderOptions, command: Command) => {
      if (!(PREVIEW_PLUGINS as readonly string[]).includes(plugin)) throw new CliError(`"${plugin}" has no message preview; plugins: ${PREVIEW_PLUGINS.join(', ')}`)
      if (options.locale !== undefined && options.locale !== 'zh-CN' && options.locale !== 'en') throw new CliError('--locale is zh-CN or en')
      const route = options.route === undefined ? undefined : Number(options.route)
      if (route !== undefined && !(Number.isInteger(route) && route >= 0)) throw new CliError('--route is a route number: 0, 1, …')
      const cli = loadCliConfig(command)
      const config = cli.config.plugins[plugin]?.config ?? {}
      const problems = previewConfigProblems(plugin, config)
      if (problems.length > 0) throw new CliError(`${cli.file ?? 'the config'}: ${problems.join('; ')}`, EXIT_CONFIG)
      const event = options.event ?? DEFAULT_EVENT[plugin]!
      const adapters = (options.adapter ?? []).map((a) => String((cli.config.adapters[a] as { type?: string } | undefined)?.type ?? a))
      try {
        let body: unknown
        if (options.file) {
          try {
            body = JSON.parse(readFileSync(options.file, 'utf8'))
          } catch (error) {
            throw new CliError(`${options.file}: ${(error as Error).message.split('\n')[0]}`)
          }
        } else body = loadPreviewSample(plugin, event)
        const { message, template } = await previewMessage({ plugin, sample: event, body, config, route, locale: options.locale })
        const platforms = message ? previewPlatforms(message, adapters) : []
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ event, template: template ?? null, message: message ?? null, platforms }, null, 2)}\n`)
          return
        }
        if (!message) {
          process.stdout.write(`the template renders nothing for ${plugin} ${event}: the event would not be sent\n`)
          return
        }
        process.stdout.write(`${plugin} ${event} · ${template ? `template: plugins.${plugin}.config.${template}` : 'built-in format'}\n\n${platforms.map(printable).join('\n')}`)
      } catch (error) {
        if (error instanceof HookcatError) throw new CliError(error.message)
        throw error
      }
    })
}

