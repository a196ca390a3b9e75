// A plugin's webhook routes: static paths by map lookup, :param and trailing * patterns in order.
import type { HttpMethod, WebhookHandler, WebhookOptions } from '../plugin/types.js'
import type { Verifier } from '../verify/types.js'

export interface WebhookRoute {
  plugin: string
  /** The mounted pattern, normalised: "/github", "/long-process/:taskId". */
  path: string
  methods: ReadonlySet<string>
  allow: string
  handler: WebhookHandler
  options: WebhookOptions
}

/** The verifiers a request must pass with this config: a public webhook skips those without a secret. The ingress checks these; the admin API describes them. */
export function checkedVerifiers(options: WebhookOptions, config: Record<string, unknown>): Verifier[] {
  const all = options.verify === undefined ? [] : Array.isArray(options.verify) ? options.verify : [options.verify]
  return options.public ? all.filter((v) => v.hasSecret(config)) : all
}

/** open: nothing is checked; verified: every check has its secret; refused: a check lacks its secret, so requests fail. */
export type WebhookAccess = 'open' | 'verified' | 'refused'

export function webhookAccess(options: WebhookOptions, config: Record<string, unknown>): WebhookAccess {
  const checked = checkedVerifiers(options, config)
  if (checked.length === 0) return 'open'
  return checked.every((v) => v.hasSecret(config)) ? 'verified' : 'refused'
}

interface Pattern {
  route: WebhookRoute
  segments: string[]
  rest: boolean
}

const SEGMENT = /^(?::[A-Za-z_][A-Za-z0-9_]*|[A-Za-z0-9._~@!$&'()+,;=-]+)$/
const ALL_METHODS: HttpMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']

/** Checks and normalises a mount path; throws a TypeError that says what is wrong. */
export function normalizeMountPath(path: string): string {
  if (typeof path !== 'string' || !path.startsWith('/')) throw new TypeError(`webhook path "${path}" must start with "/"`)
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path
  if (trimmed === '/') return '/'
  const segments = trimmed.slice(1).split('/')
  segments.forEach((segment, i) => {
    if (segment === '*' && i === segments.length - 1) return
    if (!SEGMENT.test(segment) || segment === '.' || segment === '..') throw new TypeError(`webhook path "${path}" has an invalid segment "${segment}"`)
  })
  return trimmed
}

export function normalizeMethods(methods: readonly string[] | undefined): Set<string> {
  const list = methods && methods.length ? methods.map((m) => m.toUpperCase()) : ['POST']
  for (const m of list) if (!ALL_METHODS.includes(m as HttpMethod)) throw new TypeError(`unsupported HTTP method "${m}"`)
  const set = new Set(list)
  if (set.has('GET')) set.add('HEAD')
  return set
}

export class RouteTable {
  private readonly statics = new Map<string, WebhookRoute>()
  private readonly patterns: Pattern[] = []

  get size(): number {
    return this.statics.size + this.patterns.length
  }

  routes(): WebhookRoute[] {
    return [...this.statics.values(), ...this.patterns.map((p) => p.route)]
  }

  add(route: WebhookRoute): void {
    if (this.statics.has(route.path) || this.patterns.some((p) => p.route.path === route.path)) {
      throw new TypeError(`webhook path "${route.path}" is mounted twice`)
    }
    const segments = route.path === '/' ? [] : route.path.slice(1).split('/')
    const dynamic = segments.some((s) => s.startsWith(':') || s === '*')
    if (!dynamic) this.statics.set(route.path, route)
    else {
      const rest = segments[segments.length - 1] === '*'
      this.patterns.push({ route, segments: rest ? segments.slice(0, -1) : segments, rest })
    }
  }

  remove(route: WebhookRoute): void {
    if (this.statics.get(route.path) === route) this.statics.delete(route.path)
    const i = this.patterns.findIndex((p) => p.route === route)
    if (i >= 0) this.patterns.splice(i, 1)
  }

  /** Finds the route for a decoded path (already checked for traversal by the caller). */
  match(path: string): { route: WebhookRoute; params: Record<string, string> } | undefined {
    const normalized = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path
    const hit = this.statics.get(normalized)
    if (hit) return { route: hit, params: {} }
    if (this.patterns.length === 0) return undefined
    const parts = normalized === '/' ? [] : normalized.slice(1).split('/')
    for (const pattern of this.patterns) {
      if (pattern.rest ? parts.length < pattern.segments.length : parts.length !== pattern.segments.length) continue
      const params: Record<string, string> = {}
      let ok = true
      for (let i = 0; i < pattern.segments.length; i++) {
        const seg = pattern.segments[i]
        if (seg.startsWith(':')) {
          if (parts[i] === '') {
            ok = false
            break
          }
          params[seg.slice(1)] = parts[i]
        } else if (seg !== parts[i]) {
          ok = false
          break
        }
      }
      if (!ok) continue
      if (pattern.rest) params['*'] = parts.slice(pattern.segments.length).join('/')
      return { route: pattern.route, params }
    }
    return undefined
  }
}

export { ALL_METHODS }
