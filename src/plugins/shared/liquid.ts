// The one liquid sandbox of hookcat (relay templates and message templates): own properties only, no files, limits.
import { Liquid } from 'liquidjs'

export const TEMPLATE_LIMITS = {
  /** Characters of a template. */
  parse: 20_000,
  /** Milliseconds of one render. */
  render: 200,
  /** Bytes a render may allocate (strings, arrays, ranges). */
  memory: 2_000_000,
  /** Characters of the rendered message. */
  output: 4000,
}

export const liquid = new Liquid({
  // Only the data's own fields: no prototype walks (constructor, __proto__), so no path to code.
  ownPropertyOnly: true,
  strictFilters: false,
  strictVariables: false,
  // An empty in-memory file system: include, render and layout find nothing on disk.
  templates: {},
  parseLimit: TEMPLATE_LIMITS.parse,
  renderLimit: TEMPLATE_LIMITS.render,
  memoryLimit: TEMPLATE_LIMITS.memory,
  cache: false,
})
