// HTTP event reporting: the implementation POSTs each event to /onebot/v11/http/<adapter>, signed with X-Signature (HMAC-SHA1).
import type { IncomingMessage, ServerResponse } from 'node:http'
import { hmac } from '../../host/verify/hmac.js'
import { errorBody, HookcatError, isHookcatError } from '../../util/errors.js'
import type { Logger } from '../../util/logger.js'
import { readInbound } from '../shared/inbound.js'
import type { OneBotEvent } from './events.js'

export const eventsPath = (adapter: string): string => `/onebot/v11/http/${adapter}`

export function httpEvents(options: { secret: () => string | undefined; logger: Logger; parse: (raw: Buffer) => OneBotEvent; onEvent: (event: OneBotEvent) => Promise<void> }) {
  // The host's HMAC verifier: constant time over the exact bytes; a missing secret refuses (fail closed).
  const verifier = hmac(options.secret, { header: 'x-signature', algorithm: 'sha1', prefix: 'sha1=', scheme: 'onebot', description: 'X-Signature: sha1=<hex HMAC-SHA1 of the body>' })
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let status = 204
    let body = ''
    try {
      if (req.method !== 'POST') throw new HookcatError('METHOD_NOT_ALLOWED', 'OneBot events are POSTed', { headers: { allow: 'POST' } })
      const raw = await readInbound(req)
      if (!raw) throw new HookcatError('BODY_TOO_LARGE')
      try {
        verifier.verify({ raw, headers: req.headers, method: 'POST', url: req.url ?? '', query: new URLSearchParams(), config: {}, now: Date.now(), adminToken: '' })
      } catch (error) {
        options.logger.warn({ client: req.socket.remoteAddress, reason: isHookcatError(error) ? error.code : 'error' }, 'OneBot HTTP event refused')
        throw error
      }
      const event = options.parse(raw)
      if (event.kind === 'malformed') throw new HookcatError('VALIDATION_FAILED', `not a OneBot event: ${event.why}`)
      await options.onEvent(event)
    } catch (error) {
      const answer = errorBody(isHookcatError(error) ? error : new HookcatError('STORAGE_UNAVAILABLE', undefined, { headers: { 'retry-after': '5' } }))
      if (!isHookcatError(error)) options.logger.error({ err: error }, 'OneBot HTTP event could not be stored')
      status = answer.status
      body = answer.body
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...answer.headers })
      res.end(body)
      return
    }
    res.writeHead(status)
    res.end()
  }
}
