// Telegram updates by webhook: registered with setWebhook (secret_token), the token checked on every update, messages to the inbox.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { InboundMessage, SenderRole } from '../../host/chat/types.js'
import type { AdapterLink } from '../../host/outbox/adapter.js'
import { safeEqual } from '../../host/verify/secrets.js'
import { errorBody, HookcatError, type ErrorCode } from '../../util/errors.js'
import type { Logger } from '../../util/logger.js'
import { readInbound } from '../shared/inbound.js'

export const updatesPath = (adapter: string): string => `/telegram/${adapter}/webhook`

type Json = Record<string, any>
export type BotApi = (method: string, body: Record<string, unknown>) => Promise<Json | undefined>

const ROLES: Record<string, SenderRole> = { creator: 'owner', administrator: 'admin' }

/** The inbound message of an update, or why it is not one; a "/cmd@otherbot" is left as is (it matches no command here). */
export async function readUpdate(update: unknown, options: { adapter: string; username?: string; operators: ReadonlySet<string>; locale: string; api: BotApi }): Promise<InboundMessage | string> {
  if (!update || typeof update !== 'object' || Array.isArray(update)) return 'not a JSON object'
  const m = (update as Json).message
  if (!m || typeof m !== 'object') return 'no message'
  const chat = m.chat
  const from = m.from
  if (!chat || !Number.isSafeInteger(chat.id) || !from || !Number.isSafeInteger(from.id) || !Number.isSafeInteger(m.message_id)) return 'a message needs chat.id, from.id and message_id'
  if (typeof m.text !== 'string') return 'no text'
  const group = chat.type === 'group' || chat.type === 'supergroup'
  let text = m.text.slice(0, 20_000)
  const addressed = /^\/([A-Za-z0-9_]+)@([A-Za-z0-9_]+)/.exec(text)
  if (addressed && (!options.username || addressed[2].toLowerCase() === options.username.toLowerCase())) text = `/${addressed[1]}${text.slice(addressed[0].length)}`
  let role: SenderRole = 'member'
  // Only a command needs the sender's role: asked of Telegram, and "member" when it cannot say (fail closed).
  if (group && text.startsWith('/')) {
    const member = await options.api('getChatMember', { chat_id: chat.id, user_id: from.id }).catch(() => undefined)
    role = ROLES[String(member?.result?.status)] ?? 'member'
  }
  const id = String(from.id)
  const name = [from.first_name, from.last_name].filter((s) => typeof s === 'string').join(' ') || (typeof from.username === 'string' ? from.username : undefined)
  return {
    adapter: options.adapter,
    chatKey: `${options.adapter}-${group ? `group_${chat.id}` : String(chat.id)}`,
    messageId: String(m.message_id),
    text,
    sender: { id, name: name?.slice(0, 200), role, ...(options.operators.has(id) ? { operator: true } : {}) } as InboundMessage['sender'],
    time: Number.isSafeInteger(m.date) ? m.date : undefined,
    locale: options.locale,
    canQuote: true,
  }
}

export function telegramUpdates(options: { adapter: string; secretToken: string; username?: string; operators: string[]; locale: string; logger: Logger; api: BotApi }) {
  const operators = new Set(options.operators)
  let link: AdapterLink | undefined
  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const answer = (status: number) => {
      res.writeHead(status)
      res.end()
    }
    // Refusals carry the same {"error":{"code"}} body as every other hookcat endpoint.
    const refuse = (code: ErrorCode, message: string, headers: Record<string, string> = {}) => {
      const { status, body } = errorBody(new HookcatError(code, message))
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
      res.end(body)
    }
    if (req.method !== 'POST') return refuse('METHOD_NOT_ALLOWED', 'Telegram updates are POSTed', { allow: 'POST' })
    const given = req.headers['x-telegram-bot-api-secret-token']
    if (typeof given !== 'string' || !safeEqual(given, options.secretToken)) {
      req.resume()
      options.logger.warn({ client: req.socket.remoteAddress, reason: given === undefined ? 'no secret token' : 'wrong secret token' }, 'Telegram update refused')
      return refuse('UNAUTHORIZED', 'X-Telegram-Bot-Api-Secret-Token is missing or wrong')
    }
    const raw = await readInbound(req)
    if (!raw) return refuse('BODY_TOO_LARGE', 'A Telegram update is at most 1 MiB')
    let update: unknown
    try {
      update = JSON.parse(raw.toString('utf8'))
    } catch {
      return refuse('VALIDATION_FAILED', 'not a Telegram update: not JSON')
    }
    if (!update || typeof update !== 'object' || Array.isArray(update)) return refuse('VALIDATION_FAILED', 'not a Telegram update: not a JSON object')
    const message = await readUpdate(update, { ...options, operators })
    // Telegram redelivers anything not answered 2xx: an update that is no message for us is taken and dropped.
    if (typeof message === 'string') {
      options.logger.debug({ why: message }, 'Telegram update ignored')
      return answer(200)
    }
    try {
      await link!.receive(message, `${message.chatKey}:${message.messageId}`)
      answer(200)
    } catch (error) {
      options.logger.error({ err: (error as Error).message }, 'Telegram update could not be stored')
      answer(503)
    }
  }
  return {
    async attach(host: AdapterLink): Promise<void> {
      link = host
      host.mount(updatesPath(options.adapter), handler)
      const url = `${host.publicUrl()}${updatesPath(options.adapter)}`
      const result = await options.api('setWebhook', { url, secret_token: options.secretToken, allowed_updates: ['message'] }).catch((e: Error) => ({ ok: false, description: e.message }))
      if (result?.ok === true) options.logger.info({ url }, 'Telegram webhook registered')
      else options.logger.error({ reason: result?.description }, 'Telegram setWebhook failed; updates will not arrive')
    },
  }
}
