// Builds the golden files: for one sample, the message and the exact request every platform received, in a readable JSON form.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ADAPTERS, type Delivery, Platforms } from './platforms.js'
import { goldenSamples, type Sample } from './samples.js'
import { digestSamples } from './digests.js'

export const GOLDEN_DIR = fileURLToPath(new URL('./files/', import.meta.url))
export const UPDATING = process.env.HOOKCAT_UPDATE_GOLDEN === '1'

export const goldenPath = (s: Pick<Sample, 'plugin' | 'sample' | 'locale'>): string => join(GOLDEN_DIR, s.plugin, `${s.sample}.${s.locale}.json`)

/** One adapter's delivery as stored: HTTP requests as they are, mails and console output as lines. */
function stored(d: Delivery): unknown[] {
  if (d.adapter === 'email' || d.adapter === 'console') return d.parts.map((p) => p.replace(/\n$/, '').split('\n'))
  return d.parts
}

export interface GoldenCase {
  sample: Sample
  deliveries: Delivery[]
  file: string
  content: string
}

/** Renders every golden sample through every adapter; the content is what the committed file must hold. */
export async function buildGolden(samples = [...goldenSamples(), ...digestSamples()]): Promise<GoldenCase[]> {
  const platforms = await new Platforms().start()
  try {
    const out: GoldenCase[] = []
    for (const sample of samples) {
      const deliveries = sample.message ? await platforms.deliverAll(sample.message) : []
      const doc: Record<string, unknown> = { message: sample.message ?? null }
      for (const d of deliveries) doc[d.adapter] = stored(d)
      out.push({ sample, deliveries, file: goldenPath(sample), content: `${JSON.stringify(doc, null, 2)}\n` })
    }
    return out
  } finally {
    await platforms.close()
  }
}

export function listGoldenFiles(dir = GOLDEN_DIR): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listGoldenFiles(join(dir, e.name)) : e.name.endsWith('.json') ? [join(dir, e.name)] : []))
}

/** Differences between the built cases and the committed files; with HOOKCAT_UPDATE_GOLDEN=1 the files are rewritten instead. */
export function compareGolden(cases: GoldenCase[]): string[] {
  const problems: string[] = []
  const wanted = new Set(cases.map((c) => c.file))
  if (UPDATING) {
    for (const f of listGoldenFiles()) if (!wanted.has(f)) rmSync(f)
    for (const c of cases) {
      mkdirSync(dirname(c.file), { recursive: true })
      writeFileSync(c.file, c.content)
    }
    return problems
  }
  for (const c of cases) {
    const rel = relative(process.cwd(), c.file)
    if (!existsSync(c.file)) problems.push(`${rel}: missing`)
    else if (readFileSync(c.file, 'utf8') !== c.content) problems.push(`${rel}: differs from what the platforms receive now (${firstDifference(readFileSync(c.file, 'utf8'), c.content)})`)
  }
  for (const f of listGoldenFiles()) if (!wanted.has(f)) problems.push(`${relative(process.cwd(), f)}: no sample produces it any more`)
  return problems
}

function firstDifference(a: string, b: string): string {
  const al = a.split('\n')
  const bl = b.split('\n')
  const i = al.findIndex((l, k) => l !== bl[k])
  const k = i === -1 ? al.length : i
  return `line ${k + 1}: committed ${JSON.stringify(al[k] ?? '<end>').slice(0, 160)} / now ${JSON.stringify(bl[k] ?? '<end>').slice(0, 160)}`
}

export { ADAPTERS }
