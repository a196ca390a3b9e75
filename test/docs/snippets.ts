// Reads fenced code blocks out of the Markdown docs, with the `<!-- doc-test: … -->` marker written above each.
import { readFileSync } from 'node:fs'

export interface Snippet {
  lang: string
  code: string
  /** "skip (reason)", "background", or undefined: run in the foreground. */
  marker?: string
  line: number
}

export function snippets(file: string): Snippet[] {
  const lines = readFileSync(file, 'utf8').split('\n')
  const out: Snippet[] = []
  let marker: string | undefined
  for (let i = 0; i < lines.length; i++) {
    const comment = /^<!-- doc-test: (.+?) -->$/.exec(lines[i].trim())
    if (comment) {
      marker = comment[1]
      continue
    }
    const open = /^```(\w+)\s*$/.exec(lines[i])
    if (!open) {
      if (lines[i].trim() !== '') marker = undefined
      continue
    }
    const start = i + 1
    let end = start
    while (end < lines.length && !/^```\s*$/.test(lines[end])) end++
    out.push({ lang: open[1], code: lines.slice(start, end).join('\n'), marker, line: start })
    marker = undefined
    i = end
  }
  return out
}
