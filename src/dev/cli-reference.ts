// Generates docs/reference/cli.md by walking the commander program, so the CLI reference cannot drift from the commands.
import type { Command, Option } from 'commander'
import type { EventEmitter } from 'node:events'
import { fileURLToPath } from 'node:url'

export const CLI_REFERENCE_FILE = fileURLToPath(new URL('../../docs/reference/cli.md', import.meta.url))

function usage(command: Command, parents: string[]): string {
  return ['hookcat', ...parents, command.name(), command.usage()].filter((s) => s !== '').join(' ').replace(/^hookcat hookcat/, 'hookcat')
}

function optionRows(options: readonly Option[]): string[] {
  if (options.length === 0) return []
  const rows = options.map((o) => {
    const extra = [o.defaultValue !== undefined ? `default: \`${JSON.stringify(o.defaultValue)}\`` : '', o.envVar ? `env: \`${o.envVar}\`` : ''].filter(Boolean).join('; ')
    return `| \`${o.flags}\` | ${o.description.replace(/\|/g, '\\|')}${extra ? ` (${extra})` : ''} |`
  })
  return ['| option | meaning |', '|---|---|', ...rows, '']
}

/** The help text added after a command's own help (its examples), as commander prints it. */
function afterHelp(command: Command): string {
  let text = ''
  const fake = { write: (s: string) => void (text += s) }
  // Commander's Command is an EventEmitter at run time (its typings do not say so); addHelpText() listens on it.
  ;(command as unknown as EventEmitter).emit('afterHelp', { error: false, command, write: fake.write })
  return text.trim()
}

function section(command: Command, parents: string[], depth: number): string[] {
  const out: string[] = []
  const path = [...parents, command.name()]
  out.push(`${'#'.repeat(depth)} \`hookcat ${path.join(' ')}\``, '', command.description(), '', '```', usage(command, parents), '```', '')
  out.push(...optionRows(command.options.filter((o) => !o.hidden)))
  const after = afterHelp(command)
  if (after) out.push('```', after, '```', '')
  for (const sub of command.commands) out.push(...section(sub, path, depth + 1))
  return out
}

export function renderCliReference(program: Command): string {
  const lines = [
    '# Command line reference',
    '',
    '<!-- Generated from the command definitions by src/dev/cli-reference.ts; a test fails when it is out of date. -->',
    '<!-- Regenerate: node --import tsx --conditions=hookcat-src src/dev/cli-reference.ts -->',
    '',
    program.description(),
    '',
    'Global options (before the command):',
    '',
    ...optionRows(program.options.filter((o) => !o.hidden)),
  ]
  for (const command of program.commands) lines.push(...section(command, [], 2))
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { writeFileSync } = await import('node:fs')
  const { buildProgram } = await import('../cli/program.js')
  writeFileSync(CLI_REFERENCE_FILE, renderCliReference(buildProgram()))
  process.stdout.write(`wrote ${CLI_REFERENCE_FILE}\n`)
}
