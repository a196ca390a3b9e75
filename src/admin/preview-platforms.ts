// A Message as each platform would receive it, through the adapters' own render functions (no network, no credentials).
import { tmpdir } from 'node:os'
import { builtinAdapters } from '../adapters/index.js'
import { consoleText } from '../adapters/console/index.js'
import { cleanMessage } from '../adapters/render/clean.js'
import { HookcatError } from '../util/errors.js'
import { HostEvents } from '../host/events.js'
import type { Message } from '../host/messages.js'
import type { Storage } from '../storage/types.js'
import { createLogger } from '../util/logger.js'

/** Settings of each adapter type for rendering only: endpoints that are never called, placeholder credentials. */
const NOWHERE = 'http://127.0.0.1:9'
const PREVIEW_SETTINGS: Record<string, { channel: string; settings: Record<string, unknown> }> = {
  onebot_v11: { channel: 'group_123456', settings: { url: NOWHERE } },
  telegram: { channel: 'group_-1001234567890', settings: { token: '1:preview', apiBase: NOWHERE } },
  discord: { channel: 'preview', settings: { webhooks: [{ name: 'preview', url: `${NOWHERE}/api/webhooks/1/preview` }] } },
  slack: { channel: 'preview', settings: { webhooks: [{ name: 'preview', url: `${NOWHERE}/services/T0/B0/preview` }] } },
  feishu: { channel: 'preview', settings: { webhooks: [{ name: 'preview', url: `${NOWHERE}/open-apis/bot/v2/hook/preview` }] } },
  dingtalk: { channel: 'preview', settings: { webhooks: [{ name: 'preview', url: `${NOWHERE}/robot/send?access_token=preview` }] } },
  wecom: { channel: 'preview', settings: { apiBase: NOWHERE, webhooks: [{ name: 'preview', key: 'preview-key-0001' }] } },
  email: { channel: 'ops@example.com', settings: { host: '127.0.0.1', port: 9, from: 'hookcat <bot@example.com>' } },
  http: { channel: 'preview', settings: { url: `${NOWHERE}/preview` } },
}

/** Adapter types in the order a preview shows them. */
export const PREVIEW_ADAPTERS = ['onebot_v11', 'telegram', 'discord', 'slack', 'feishu', 'dingtalk', 'wecom', 'email', 'web', 'console', 'http'] as const

export interface PlatformPreview {
  adapter: string
  /** What the adapter sends, one entry per part (a long message is split): the request body's content, the mail, the line. */
  parts: unknown[]
}

function render(type: string, message: Message): unknown[] {
  if (type === 'console') return [consoleText('console-preview', message)]
  // The web adapter stores the cleaned structured message; the chat view lays it out.
  if (type === 'web') return [cleanMessage(message)]
  const factory = builtinAdapters.find((a) => a.type === type)!
  const { channel, settings } = PREVIEW_SETTINGS[type]!
  const instance = factory.create(factory.config.parse(settings), {
    name: type,
    logger: createLogger({ level: 'silent' }),
    storage: undefined as unknown as Storage,
    events: new HostEvents(),
    dataDir: tmpdir(),
  })
  try {
    return instance.render ? instance.render(channel, message) : [cleanMessage(message)]
  } finally {
    void instance.close?.()
  }
}

/** The message for the given adapter types (an unknown one is a clear error), or for all of them. */
export function previewPlatforms(message: Message, adapters?: string[]): PlatformPreview[] {
  const wanted = adapters && adapters.length > 0 ? adapters : [...PREVIEW_ADAPTERS]
  const unknown = wanted.find((a) => !(PREVIEW_ADAPTERS as readonly string[]).includes(a))
  if (unknown) throw new HookcatError('VALIDATION_FAILED', `unknown adapter type "${unknown.slice(0, 40)}"; types: ${PREVIEW_ADAPTERS.join(', ')}`)
  return wanted.map((adapter) => ({ adapter, parts: render(adapter, message) }))
}
