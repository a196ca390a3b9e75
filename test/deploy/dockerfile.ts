// Reads deploy/Dockerfile into stages of instructions (continuation lines joined), for the test that replays it.
import { readFileSync } from 'node:fs'

export interface Instruction {
  op: string
  args: string
}

export interface Stage {
  from: string
  name?: string
  steps: Instruction[]
}

export function parseDockerfile(file: string): Stage[] {
  const lines = readFileSync(file, 'utf8').replace(/\\\n/g, ' ').split('\n')
  const stages: Stage[] = []
  for (const raw of lines) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    const [, op, args] = /^(\S+)\s+(.*)$/.exec(line) ?? []
    if (!op) throw new Error(`cannot read Dockerfile line: ${line}`)
    if (op.toUpperCase() === 'FROM') {
      const [, from, name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args) ?? []
      stages.push({ from, name, steps: [] })
    } else stages[stages.length - 1].steps.push({ op: op.toUpperCase(), args })
  }
  return stages
}

/** COPY [--from=stage] <src…> <dest>: the sources, the destination and the stage they come from (undefined: the context). */
export function copyArgs(args: string): { from?: string; sources: string[]; dest: string } {
  const parts = args.split(/\s+/)
  const from = parts[0].startsWith('--from=') ? parts.shift()!.slice('--from='.length) : undefined
  const dest = parts.pop()!
  return { from, sources: parts, dest }
}
