// Safe user templates for relays: liquidjs with own properties only, no file access, and limits on parse, render time and memory.
import type { Template } from 'liquidjs'
import { HookcatError } from '../../index.js'
import { liquid as engine, TEMPLATE_LIMITS } from '../shared/liquid.js'

export { TEMPLATE_LIMITS }

/** Parses a template once, at setup; a syntax error names the relay and stops the plugin from loading. */
export function compileTemplate(relay: string, source: string): Template[] {
  try {
    return engine.parse(source)
  } catch (error) {
    throw new Error(`relay "${relay}": the template does not parse: ${(error as Error).message}`)
  }
}

/** Renders with the limits; a template that fails on this body is a 400 saying why. */
export async function renderTemplate(template: Template[], data: Record<string, unknown>): Promise<string> {
  let out: string
  try {
    out = String(await engine.render(template, data))
  } catch (error) {
    throw new HookcatError('VALIDATION_FAILED', `The relay template failed on this body: ${(error as Error).message.slice(0, 200)}`)
  }
  out = out.trim()
  return out.length > TEMPLATE_LIMITS.output ? `${out.slice(0, TEMPLATE_LIMITS.output - 1)}…` : out
}
