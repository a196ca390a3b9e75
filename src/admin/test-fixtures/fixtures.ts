// Shared by the admin API tests: a plugin with secret config fields, a controllable failing adapter, an SSE reader.
import { createHmac } from 'node:crypto'
import { defineAdapter, definePlugin, secret, SendError, verify, z } from '../../index.js'
import { createTestHost, type TestHost } from '../../testing/index.js'

export const SECRETS = {
  webhookSecret: 'gh-secret-VALUE-1234',
  apiToken: 'api-token-VALUE-5678',
  hmac: 'nested-hmac-VALUE-9012',
  relay: 'relay-token-VALUE-3456',
}

export const demoPlugin = definePlugin({
  name: 'demo',
  version: '1.2.3',
  description: 'A plugin for the admin tests',
  config: z.object({
    webhookSecret: secret(z.string()).describe('GitHub webhook secret'),
    apiToken: secret(z.string().optional()).meta({ title: 'API token', description: 'Token for the API' }),
    notificationChat: z.string().min(1).default('web-alerts').describe('chat_key to notify'),
    retries: z.number().int().min(0).max(10).default(3).meta({ title: 'Retries' }),
    nested: z.object({ level: z.enum(['info', 'warn']).default('info'), hmac: secret(z.string()).optional() }).prefault({}),
    relays: z
      .array(z.object({ name: z.string().min(1), token: secret(z.string()) }))
      .refine((list) => new Set(list.map((r) => r.name)).size === list.length, 'relay names must be unique')
      .default([]),
    labels: z.array(z.string().min(1)).max(5).optional().describe('Labels to match'),
    dedupWindow: z.number().int().min(0).max(3600).default(300).describe('Seconds in which the same event is sent once'),
  }),
  setup(plugin) {
    plugin.mountWebhook(
      '/github',
      async (req) => {
        const payload = await req.json<{ text?: string }>()
        await plugin.send(plugin.config.notificationChat, `[${req.headers.get('x-github-event')}] ${payload.text ?? ''}`)
        return { status: 'success' }
      },
      { methods: ['POST'], mode: 'async', verify: verify.github(() => plugin.config.webhookSecret), description: 'GitHub events' },
    )
    plugin.mountWebhook('/echo', async (req) => ({ got: await req.text(), retries: plugin.config.retries }), { public: true })
  },
})

export const demoConfig = {
  webhookSecret: SECRETS.webhookSecret,
  apiToken: SECRETS.apiToken,
  nested: { hmac: SECRETS.hmac },
  relays: [{ name: 'one', token: SECRETS.relay }],
}

/** An adapter "flaky" whose sends fail for good (a dead letter at once) while `failing.on` is true. */
export const failing = { on: true, error: 'chat not found (platform said 400)' }
export const flakyAdapter = defineAdapter({
  type: 'flaky',
  description: 'fails on demand',
  config: z.object({ type: z.literal('flaky').optional() }).strict(),
  create(_settings, context) {
    return {
      name: context.name,
      type: 'flaky',
      async send() {
        if (failing.on) throw new SendError(failing.error, { retryable: false, httpStatus: 400 })
      },
    }
  },
})

export function demoHost(extra: { now?: () => number } = {}): Promise<TestHost> {
  return createTestHost({
    plugins: [demoPlugin],
    adapters: [flakyAdapter],
    config: { adapters: { flaky: { type: 'flaky' } }, plugins: { demo: { config: demoConfig } } },
    ...extra,
  })
}

/** Headers GitHub would send for this body, signed with the demo plugin's secret. */
export function githubHeaders(body: string, event = 'push', delivery = `d-${Math.random().toString(36).slice(2)}`): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-github-event': event,
    'x-github-delivery': delivery,
    'x-hub-signature-256': 'sha256=' + createHmac('sha256', SECRETS.webhookSecret).update(body).digest('hex'),
  }
}

export interface SseMessage {
  event: string
  id?: string
  data: any
}

/** Opens an SSE URL and collects events until `until` returns true (or the time runs out, which throws). */
export async function readEvents(url: string, until: (events: SseMessage[]) => boolean, options: { headers?: Record<string, string>; timeoutMs?: number; onOpen?: () => unknown } = {}): Promise<SseMessage[]> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 5000)
  const events: SseMessage[] = []
  try {
    const res = await fetch(url, { headers: options.headers, signal: controller.signal })
    if (res.status !== 200) throw new Error(`stream answered ${res.status}: ${await res.text()}`)
    const reader = res.body!.getReader()
    const decoder = new TextDecoder()
    let buffer = ''
    let opened = false
    for (let i = 0; i < 10_000; i++) {
      const { value, done } = await reader.read()
      if (done) break
      buffer += decoder.decode(value, { stream: true })
      if (!opened) {
        opened = true
        await options.onOpen?.()
      }
      let cut: number
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut)
        buffer = buffer.slice(cut + 2)
        const event: SseMessage = { event: 'message', data: undefined }
        let data = ''
        for (const line of block.split('\n')) {
          if (line.startsWith('event:')) event.event = line.slice(6).trim()
          else if (line.startsWith('id:')) event.id = line.slice(3).trim()
          else if (line.startsWith('data:')) data += line.slice(5).trim()
        }
        if (!data) continue
        event.data = JSON.parse(data)
        events.push(event)
      }
      if (until(events)) break
    }
    if (!until(events)) throw new Error(`the stream ended with ${events.length} events`)
    return events
  } finally {
    clearTimeout(timer)
    controller.abort()
  }
}

/** Reads until the value is as expected, 25 ms apart, at most 200 times; returns the last value read. */
export async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  let value = await read()
  for (let i = 0; i < 200 && !ok(value); i++) {
    await new Promise((r) => setTimeout(r, 25))
    value = await read()
  }
  return value
}
