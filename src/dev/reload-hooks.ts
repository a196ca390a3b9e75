// Module loader hook for dev mode: a reloaded plugin's own files (under the plugins folder) are evaluated afresh too.
// Without it only the plugin's entry file would be re-read, and its helper modules would stay cached at their old code.

interface ResolveContext {
  parentURL?: string
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<{ url: string; format?: string | null }>

const MARK = 'hookcat-reload'
let root = ''

export function initialize(data: { root: string }): void {
  root = data.root
}

export async function resolve(specifier: string, context: ResolveContext, next: NextResolve): Promise<{ url: string; format?: string | null }> {
  const result = await next(specifier, context)
  const parent = context.parentURL
  if (!parent || !root) return result
  const generation = new URL(parent).searchParams.get(MARK)
  if (!generation || !result.url.startsWith(root) || result.url.includes('/node_modules/')) return result
  const url = new URL(result.url)
  url.searchParams.set(MARK, generation)
  return { ...result, url: url.href }
}
