// `hookcat config show|revert <plugin>`: a plugin's config in effect with the fields overridden in the admin UI, and undoing them.
import type { Command } from 'commander'
import { adminRequest, adminTarget } from '../admin-client.js'
import { loadCliConfig } from '../config.js'
import { CliError } from '../errors.js'

interface ConfigAnswer {
  plugin: string
  config: Record<string, unknown>
  fileConfig: Record<string, unknown>
  overridden: string[]
}

const NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/i

function shown(value: unknown): string {
  if (value === undefined) return '(not set)'
  if (value && typeof value === 'object' && (value as { secret?: unknown }).secret === true) return (value as { set?: boolean }).set ? '(secret, set)' : '(secret, not set)'
  return JSON.stringify(value, (_k, v: unknown) => (v && typeof v === 'object' && (v as { secret?: unknown }).secret === true ? ((v as { set?: boolean }).set ? '(secret)' : '(not set)') : v))
}

const at = (config: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>)[k] : undefined), config)

/** One line per top-level field, or per overridden path below one; an overridden path gets "*" and what hookcat.yaml says. */
export function formatConfig(answer: ConfigAnswer): string {
  const head = answer.overridden.length ? `${answer.overridden.length} field(s) overridden in the admin UI (*)` : 'as in hookcat.yaml, nothing overridden'
  const below = (path: string) => answer.overridden.some((o) => o.startsWith(`${path}.`))
  const paths = [...new Set([...Object.keys(answer.config).filter((k) => !below(k)), ...answer.overridden])].sort()
  const lines = paths.map((path) => {
    const overridden = answer.overridden.includes(path)
    const file = overridden ? `   (hookcat.yaml: ${shown(at(answer.fileConfig, path))})` : ''
    return `  ${overridden ? '*' : ' '} ${path} = ${shown(at(answer.config, path))}${file}`
  })
  return [`${answer.plugin}: ${head}`, ...lines].join('\n')
}

export function registerConfig(program: Command): void {
  const config = program.command('config').description("a plugin's config in effect, and undoing what was changed in the admin UI")
  const server = ['--server <url>', 'the running server (default: http://127.0.0.1:<server.port>)'] as const
  const plugin = (name: string) => {
    if (!NAME.test(name)) throw new CliError(`"${name.slice(0, 40)}" is not a plugin name (see hookcat plugins)`)
    return encodeURIComponent(name)
  }
  config
    .command('show')
    .description('print the config in effect; fields overridden in the admin UI are marked * with the hookcat.yaml value')
    .argument('<plugin>', 'the plugin name')
    .option(...server)
    .option('--json', 'print JSON for machines')
    .action(async (name: string, options: { server?: string; json?: boolean }, command: Command) => {
      const cli = loadCliConfig(command)
      const answer = (await adminRequest(adminTarget(cli, options.server), 'GET', `/plugins/${plugin(name)}/config`)) as ConfigAnswer
      process.stdout.write(options.json ? `${JSON.stringify({ plugin: answer.plugin, config: answer.config, overridden: answer.overridden }, null, 2)}\n` : `${formatConfig(answer)}\n`)
    })
  config
    .command('revert')
    .description('remove overrides made in the admin UI (the fields given, or all) so that hookcat.yaml applies again')
    .argument('<plugin>', 'the plugin name')
    .argument('[fields...]', 'dot paths of overridden fields (default: all)')
    .option(...server)
    .addHelpText(
      'after',
      `
Examples:
  hookcat config show github
  hookcat config revert github routes
  hookcat config revert github`,
    )
    .action(async (name: string, fields: string[], options: { server?: string }, command: Command) => {
      const cli = loadCliConfig(command)
      const answer = (await adminRequest(adminTarget(cli, options.server), 'POST', `/plugins/${plugin(name)}/config/revert`, { fields })) as ConfigAnswer
      process.stdout.write(`${name}: ${fields.length ? `reverted ${fields.join(', ')}` : 'all overrides removed'}; ${answer.overridden.length ? `still overridden: ${answer.overridden.join(', ')}` : 'hookcat.yaml applies'}\n`)
    })
}
