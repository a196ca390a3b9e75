// The admin API as a Hono app: security headers, secret scrubbing, bearer/ticket auth, JSON errors, and the routes.
import { Hono } from 'hono'
import type { Host } from '../host/host.js'
import { errorBody, HookcatError } from '../util/errors.js'
import { bearerToken, Tickets, tokenMatches } from './auth.js'
import { limitBody } from './body-limit.js'
import { SECURITY_HEADERS } from './headers.js'
import { openApiDocument } from './openapi.js'
import { chatRoutes } from './routes/chats.js'
import { deliveryRoutes } from './routes/deliveries.js'
import { liveRoutes } from './routes/live.js'
import { outboxRoutes } from './routes/outbox.js'
import { muteRoutes } from './routes/mutes.js'
import { pluginRoutes } from './routes/plugins.js'
import { previewRoutes } from './routes/preview.js'
import { refusalRoutes } from './routes/refusals.js'
import { subscriptionRoutes } from './routes/subscriptions.js'
import { taskRoutes } from './routes/tasks.js'
import { webRoomRoutes } from './routes/web-rooms.js'
import { knownSecrets, scrubValue } from './scrub.js'
import { createStreamRegistry } from './sse.js'

export const ADMIN_PREFIX = '/api/admin'
const BODY_LIMIT = 1024 * 1024
/** EventSource cannot send headers: these GET routes (below the prefix) also accept a ticket from POST /tickets as ?ticket=. */
export const TICKET_ROUTES = /^\/(events|web\/rooms\/[^/]+\/stream)$/

export type AdminEnv = {
  Variables: { host: Host; tickets: Tickets; streams: ReturnType<typeof createStreamRegistry> }
}
export type AdminApp = Hono<AdminEnv>

export function createAdminApp(host: Host, streams = createStreamRegistry()): AdminApp {
  const tickets = new Tickets()
  const app: AdminApp = new Hono<AdminEnv>().basePath(ADMIN_PREFIX)

  app.onError((error, c) => {
    if (!(error instanceof HookcatError)) host.logger.error({ err: error, path: c.req.path }, 'admin request failed')
    const { status, body, headers } = errorBody(error)
    return new Response(body, { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } })
  })
  app.notFound(() => {
    throw new HookcatError('NOT_FOUND', 'No admin route here; see /api/admin/openapi.json')
  })

  // Outermost: every answer, errors included, gets the security headers and is scrubbed of secret values.
  app.use('*', async (c, next) => {
    await next()
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(name, value)
    c.res.headers.set('cache-control', 'no-store')
    if (!c.res.headers.get('content-type')?.startsWith('application/json')) return
    const text = await c.res.text()
    let scrubbed = text
    try {
      scrubbed = JSON.stringify(scrubValue(JSON.parse(text), knownSecrets(host)))
    } catch {
      scrubbed = JSON.stringify(new HookcatError('INTERNAL').toJSON())
    }
    const headers = new Headers(c.res.headers)
    headers.delete('content-length')
    const status = c.res.status
    c.res = undefined
    c.res = new Response(scrubbed, { status, headers })
  })

  app.use('*', async (c, next) => {
    const token = bearerToken(c.req.header('authorization'))
    const byToken = token !== undefined && tokenMatches(token, host.adminToken.token)
    const stream = c.req.path.slice(ADMIN_PREFIX.length)
    const byTicket = !byToken && c.req.method === 'GET' && TICKET_ROUTES.test(stream) && tickets.take(c.req.query('ticket'), stream)
    if (!byToken && !byTicket) {
      throw new HookcatError('UNAUTHORIZED', 'The admin API needs "Authorization: Bearer <admin token>"', {
        headers: { 'www-authenticate': 'Bearer realm="hookcat admin"' },
      })
    }
    c.set('host', host)
    c.set('tickets', tickets)
    c.set('streams', streams)
    await next()
  })

  app.use('*', limitBody(BODY_LIMIT, 'Admin requests are limited to 1 MiB'))

  app.get('/openapi.json', (c) => c.json(openApiDocument()))
  pluginRoutes(app)
  previewRoutes(app)
  deliveryRoutes(app)
  outboxRoutes(app)
  muteRoutes(app)
  chatRoutes(app)
  webRoomRoutes(app)
  taskRoutes(app)
  liveRoutes(app)
  refusalRoutes(app)
  subscriptionRoutes(app)
  return app
}
