// chat_key: "<adapter>-<channel>", split at the first "-", as in Nekro Agent (onebot_v11-group_123456).
import { HookcatError } from '../../util/errors.js'

export interface ChatKey {
  adapter: string
  channel: string
}

const ADAPTER = /^[a-z0-9][a-z0-9_]*$/
// Control characters have no place in a chat address and would corrupt logs.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/

/** Splits and checks a chat_key's shape; which adapters exist is checked by the outbox. */
export function parseChatKey(chatKey: unknown): ChatKey {
  if (typeof chatKey !== 'string' || chatKey.length === 0) throw new HookcatError('INVALID_CHAT_KEY', 'chat_key must be a non-empty string')
  if (chatKey.length > 512) throw new HookcatError('INVALID_CHAT_KEY', 'chat_key is longer than 512 characters')
  const dash = chatKey.indexOf('-')
  if (dash <= 0 || dash === chatKey.length - 1) {
    throw new HookcatError('INVALID_CHAT_KEY', `chat_key "${chatKey.slice(0, 80)}" must look like <adapter>-<channel>, e.g. onebot_v11-group_123456`)
  }
  const adapter = chatKey.slice(0, dash)
  const channel = chatKey.slice(dash + 1)
  if (!ADAPTER.test(adapter)) throw new HookcatError('INVALID_CHAT_KEY', `"${adapter.slice(0, 80)}" is not a valid adapter name (lower-case letters, digits, _)`)
  if (CONTROL.test(channel)) throw new HookcatError('INVALID_CHAT_KEY', 'chat_key contains control characters')
  return { adapter, channel }
}
