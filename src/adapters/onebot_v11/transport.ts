// How a onebot_v11 instance reaches its implementation: HTTP API calls, a forward WebSocket, or reverse WebSockets.
import { SendError, type AdapterLink, type AdapterStatus } from '../../host/outbox/adapter.js'
import type { Logger } from '../../util/logger.js'
import { HttpClient, httpError, jsonAnswer } from '../shared/http.js'
import { parseEvent, type OneBotAnswer, type OneBotEvent } from './events.js'
import { eventsPath, httpEvents } from './http-events.js'
import { WsClient } from './ws-client.js'
import { WsServer } from './ws-server.js'

export type TransportKind = 'http' | 'ws' | 'ws-reverse'

export interface TransportSettings {
  name: string
  transport: TransportKind
  url?: string
  accessToken?: string
  secret?: string
  path: string
  selfId?: string
  operators: string[]
  locale: string
  callTimeout: number
  reconnect: { min: number; max: number }
}

export interface Transport {
  /** Whether the link is up within `ms` (it may come up meanwhile: a start-up check waits for it). */
  ready(ms: number): Promise<boolean>
  call(action: string, params: unknown, signal: AbortSignal): Promise<{ body: OneBotAnswer; httpStatus?: number }>
  attach(link: AdapterLink): void
  /** The bot's QQ number when the link knows it (X-Self-ID, or the self_id of its events). */
  selfId(): string | undefined
  status(): AdapterStatus | undefined
  close(): void
}

/** Hands inbound messages to the host; heartbeats and lifecycle events are tracked; malformed frames are logged, not run. */
function eventSink(settings: TransportSettings, logger: Logger, host: () => AdapterLink | undefined) {
  let refusedLogged = 0
  return async (event: OneBotEvent): Promise<void> => {
    if (event.kind === 'malformed') {
      if (refusedLogged++ < 100) logger.warn({ why: event.why }, 'malformed OneBot event ignored')
      return
    }
    if (event.kind === 'lifecycle') logger.info({ selfId: event.selfId, subType: event.subType }, 'OneBot lifecycle event')
    if (event.kind !== 'message') return
    if (settings.selfId && event.selfId !== settings.selfId) return
    const link = host()
    if (!link) return
    await link.receive(event.message, `${event.selfId}:${event.message.messageId}`)
  }
}

export function createTransport(settings: TransportSettings, secrets: string[], logger: Logger): Transport {
  let host: AdapterLink | undefined
  const operators = new Set(settings.operators)
  const parse = (raw: string | Buffer) => parseEvent(raw, settings.name, { operators, locale: settings.locale })
  const sink = eventSink(settings, logger, () => host)
  const fromSocket = (event: OneBotEvent) =>
    void sink(event).catch((error: Error) => logger.error({ err: error.message }, 'inbound OneBot message could not be stored'))

  if (settings.transport === 'ws') {
    const client = new WsClient({ url: settings.url!, accessToken: settings.accessToken, logger, parse, onEvent: fromSocket, minDelayMs: settings.reconnect.min, maxDelayMs: settings.reconnect.max })
    return {
      async call(action, params, signal) {
        const link = client.link
        if (!link?.open) throw new SendError('the OneBot WebSocket is not connected; the message waits in the outbox', { retryable: true })
        return { body: await link.call(action, params, settings.callTimeout, signal) }
      },
      ready: (ms) => until(() => client.link?.open === true, ms),
      attach(link) {
        host = link
        client.start()
      },
      selfId: () => client.link?.selfId ?? settings.selfId,
      status: () => ({
        state: client.state,
        detail: client.state === 'up' ? `ws ${client.link?.selfId ?? ''}`.trim() : client.lastError,
        bots: client.link?.selfId ? [{ selfId: client.link.selfId, connectedAt: client.link.connectedAt, lastHeartbeatAt: client.link.lastHeartbeatAt }] : [],
      }),
      close: () => client.close(),
    }
  }

  if (settings.transport === 'ws-reverse') {
    const server = new WsServer({ accessToken: settings.accessToken, selfId: settings.selfId, logger, parse, onEvent: fromSocket })
    return {
      async call(action, params, signal) {
        const link = server.linkFor(settings.selfId)
        if (!link?.open) throw new SendError('no OneBot bot is connected over the reverse WebSocket; the message waits in the outbox', { retryable: true })
        return { body: await link.call(action, params, settings.callTimeout, signal) }
      },
      ready: (ms) => until(() => server.linkFor(settings.selfId)?.open === true, ms),
      attach(link) {
        host = link
        link.onUpgrade(settings.path, server.upgrade)
      },
      selfId: () => server.linkFor(settings.selfId)?.selfId ?? settings.selfId,
      status: () => {
        const bots = [...server.links.values()].map((l) => ({ selfId: l.selfId ?? '?', connectedAt: l.connectedAt, lastHeartbeatAt: l.lastHeartbeatAt }))
        return { state: bots.length ? 'up' : 'down', detail: bots.length ? `${bots.length} bot(s) on ${settings.path}` : `waiting for a bot on ${settings.path}`, bots }
      },
      close: () => server.close(),
    }
  }

  const client = new HttpClient(secrets)
  const headers: Record<string, string> = settings.accessToken ? { authorization: `Bearer ${settings.accessToken}` } : {}
  return {
    async call(action, params, signal) {
      const answer = await client.postJson(`${settings.url}/${action}`, params, { headers, signal })
      const failed = httpError(client, answer)
      if (failed) throw failed
      return { body: jsonAnswer<OneBotAnswer>(client, answer), httpStatus: answer.status }
    },
    ready: async () => true,
    attach(link) {
      host = link
      // HTTP event reporting is taken only with a secret to check its X-Signature (fail closed).
      if (settings.secret) link.mount(eventsPath(settings.name), httpEvents({ secret: () => settings.secret, logger, parse, onEvent: sink }))
    },
    selfId: () => settings.selfId,
    // Sending only over HTTP keeps no link to report; with event reporting the endpoint is the link.
    status: () => (settings.secret ? { state: 'up', detail: `http, events at ${eventsPath(settings.name)}` } : undefined),
    close: () => client.close(),
  }
}

/** Polls a condition until it holds or `ms` pass. */
async function until(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() >= end) return false
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return true
}
