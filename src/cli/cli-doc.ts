// Generates the command reference of docs/cli.md from the commander program itself, so the doc lists every command as it is.
// Run `node --import tsx src/cli/cli-doc.ts` to rewrite it after changing a command.
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { Command } from 'commander'
import { generatedMarkers, replaceGenerated } from './doc-section.js'
import { buildProgram } from './program.js'

export const CLI_DOC = fileURLToPath(new URL('../../docs/cli.md', import.meta.url))
const MARKERS = generatedMarkers('cli-commands', 'src/cli/cli-doc.ts')
// A fixed width, so that the doc does not depend on the terminal it was generated in.
const WIDTH = 100

function helpOf(command: Command): string {
  let text = ''
  command.configureHelp({ helpWidth: WIDTH })
  command.configureOutput({ writeOut: (chunk) => (text += chunk), getOutHelpWidth: () => WIDTH })
  command.outputHelp()
  return text.trimEnd()
}

/** `hookcat --help`, then each command's --help, as Markdown. */
export function cliReference(): string {
  const program = buildProgram()
  const parts = ['### `hookcat --help`', '', '```', helpOf(program), '```']
  for (const command of program.commands) {
    parts.push('', `### \`hookcat ${command.name()}\``, '', '```', helpOf(command), '```')
  }
  return parts.join('\n')
}

export function withGeneratedReference(doc: string): string {
  return replaceGenerated(doc, MARKERS, cliReference())
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(CLI_DOC, withGeneratedReference(readFileSync(CLI_DOC, 'utf8')))
  process.stdout.write(`updated ${CLI_DOC}\n`)
}
