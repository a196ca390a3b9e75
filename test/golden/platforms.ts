// Every adapter wired to its loopback fake with a fixed clock: deliver() returns the exact requests each platform received.
import type { Message } from '../../src/host/messages.js'
import type { AdapterInstance } from '../../src/host/outbox/adapter.js'
import type { Storage, WriteOp } from '../../src/storage/types.js'
import { HostEvents } from '../../src/host/events.js'
import { createLogger } from '../../src/util/logger.js'
import { withMentions } from '../../src/host/mentions.js'
import { GOLDEN_PEOPLE } from './mentioned.js'
import { consoleAdapter } from '../../src/adapters/console/index.js'
import { dingtalkAdapter } from '../../src/adapters/dingtalk/index.js'
import { discordAdapter } from '../../src/adapters/discord/index.js'
import { emailAdapter } from '../../src/adapters/email/index.js'
import { feishuAdapter } from '../../src/adapters/feishu/index.js'
import { onebotAdapter } from '../../src/adapters/onebot_v11/index.js'
import { slackAdapter } from '../../src/adapters/slack/index.js'
import { telegramAdapter } from '../../src/adapters/telegram/index.js'
import { webAdapter } from '../../src/adapters/web/index.js'
import { wecomAdapter } from '../../src/adapters/wecom/index.js'
import { fakeDingTalk } from '../fakes/dingtalk.js'
import { fakeDiscord } from '../fakes/discord.js'
import { fakeFeishu } from '../fakes/feishu.js'
import { makeAdapter, sendWhole } from '../fakes/harness.js'
import { fakeOneBot } from '../fakes/onebot.js'
import type { FakePlatform, Recorded } from '../fakes/platform.js'
import { fakeSlack } from '../fakes/slack.js'
import { FakeSmtp, type ReceivedMail } from '../fakes/smtp.js'
import { fakeTelegram } from '../fakes/telegram.js'
import { fakeWeCom } from '../fakes/wecom.js'

export const ADAPTERS = ['onebot_v11', 'telegram', 'discord', 'slack', 'feishu', 'dingtalk', 'wecom', 'email', 'web', 'console'] as const
export type AdapterName = (typeof ADAPTERS)[number]

/** The fixed clock of every signature and timestamp in the golden files. */
export const CLOCK = 1_767_225_600_000 // 2026-01-01T00:00:00Z

export type HttpRequest = { request: string; body: unknown }
/** What one adapter delivered for one message, part by part. */
export type Delivery =
  | { adapter: Exclude<AdapterName, 'email' | 'web' | 'console'>; parts: HttpRequest[]; raw: Recorded[] }
  | { adapter: 'email'; parts: string[]; mails: ReceivedMail[] }
  | { adapter: 'web'; parts: unknown[] }
  | { adapter: 'console'; parts: string[] }

/** Raw MIME with its only varying pieces (boundaries, Date) fixed, as lines. */
export function normalizeMime(raw: string): string[] {
  let out = raw.replace(/\r\n/g, '\n')
  const boundaries = [...new Set([...out.matchAll(/boundary="?([^";\n]+)"?/g)].map((m) => m[1]))]
  boundaries.forEach((b, i) => (out = out.split(b).join(`BOUNDARY-${i + 1}`)))
  out = out.replace(/^Date: .*$/m, 'Date: Thu, 01 Jan 2026 00:00:00 +0000')
  return out.replace(/\n+$/, '').split('\n')
}

const CHANNELS: Record<AdapterName, string> = {
  onebot_v11: 'group_123456',
  telegram: 'group_-1001234567890',
  discord: 'ops',
  slack: 'ops',
  feishu: 'ops',
  dingtalk: 'ops',
  wecom: 'ops',
  email: 'ops@example.com',
  web: 'ops',
  console: 'ops',
}

export class Platforms {
  private fakes = new Map<AdapterName, FakePlatform>()
  private adapters = new Map<AdapterName, AdapterInstance>()
  private smtp = new FakeSmtp()
  private stored: WriteOp[] = []

  async start(): Promise<this> {
    const now = () => CLOCK
    const fakes: Array<[AdapterName, FakePlatform]> = [
      ['onebot_v11', fakeOneBot({ accessToken: 'onebot-token', atAll: { can: true, remain: 1_000_000 } })],
      ['telegram', fakeTelegram('123456:GOLDEN-token')],
      ['discord', fakeDiscord({ '111': 'golden-token' })],
      ['slack', fakeSlack(['/services/T0/B0/golden'])],
      ['feishu', fakeFeishu({ golden: 'SECgolden' }, now)],
      ['dingtalk', fakeDingTalk({ golden: 'SECgolden' }, now)],
      ['wecom', fakeWeCom(['golden-key-0001'])],
    ]
    for (const [name, fake] of fakes) this.fakes.set(name, fake)
    const base = Object.fromEntries(await Promise.all(fakes.map(async ([name, fake]) => [name, await fake.start()] as const))) as Record<string, string>
    const port = await this.smtp.start()
    const settings: Record<string, [unknown, Record<string, unknown>]> = {
      onebot_v11: [onebotAdapter, { url: base.onebot_v11, accessToken: 'onebot-token' }],
      telegram: [telegramAdapter, { token: '123456:GOLDEN-token', apiBase: base.telegram }],
      discord: [discordAdapter, { webhooks: [{ name: 'ops', url: `${base.discord}/api/webhooks/111/golden-token` }] }],
      slack: [slackAdapter, { webhooks: [{ name: 'ops', url: `${base.slack}/services/T0/B0/golden` }] }],
      feishu: [feishuAdapter, { webhooks: [{ name: 'ops', url: `${base.feishu}/open-apis/bot/v2/hook/golden`, secret: 'SECgolden' }] }],
      dingtalk: [dingtalkAdapter, { webhooks: [{ name: 'ops', url: `${base.dingtalk}/robot/send?access_token=golden`, secret: 'SECgolden' }] }],
      wecom: [wecomAdapter, { apiBase: base.wecom, webhooks: [{ name: 'ops', key: 'golden-key-0001' }] }],
      email: [emailAdapter, { host: '127.0.0.1', port, from: 'hookcat <bot@example.com>' }],
    }
    // Each instance resolves mentions through the golden people map, as the host does (instances are named as their types).
    for (const [name, [factory, s]] of Object.entries(settings)) this.adapters.set(name as AdapterName, withMentions(makeAdapter(factory as never, s, { now }), GOLDEN_PEOPLE, name, name))
    const storage = { write: async (ops: WriteOp[]) => (this.stored.push(...ops), ops.map(() => ({ changes: 1, seq: this.stored.length }))) } as unknown as Storage
    this.adapters.set('web', webAdapter.create({}, { name: 'web', logger: createLogger({ level: 'silent' }), storage, events: new HostEvents(), dataDir: '/nonexistent', now }))
    this.adapters.set('console', makeAdapter(consoleAdapter, {}, { now }))
    return this
  }

  /** Sends the message through one adapter as the outbox would, and returns what the platform received. */
  async deliver(adapter: AdapterName, message: Message): Promise<Delivery> {
    const instance = this.adapters.get(adapter)!
    const channel = CHANNELS[adapter]
    if (adapter === 'console') {
      const printed: string[] = []
      const write = process.stdout.write
      process.stdout.write = ((chunk: string) => (printed.push(String(chunk)), true)) as typeof process.stdout.write
      try {
        await sendWhole(instance, channel, message)
      } finally {
        process.stdout.write = write
      }
      return { adapter, parts: printed }
    }
    if (adapter === 'web') {
      const before = this.stored.length
      await sendWhole(instance, channel, message)
      return { adapter, parts: this.stored.slice(before).map((op) => (op as { message: unknown }).message) }
    }
    if (adapter === 'email') {
      const before = this.smtp.mails.length
      await sendWhole(instance, channel, message)
      const mails = this.smtp.mails.slice(before)
      return { adapter, parts: mails.map((m) => normalizeMime(m.raw).join('\n')), mails }
    }
    const fake = this.fakes.get(adapter)!
    const before = fake.requests.length
    await sendWhole(instance, channel, message)
    const raw = fake.requests.slice(before)
    return { adapter, parts: raw.map((r) => ({ request: `${r.method} ${r.path}${[...r.query].length ? `?${r.query}` : ''}`, body: r.json })), raw }
  }

  async deliverAll(message: Message): Promise<Delivery[]> {
    const out: Delivery[] = []
    for (const adapter of ADAPTERS) out.push(await this.deliver(adapter, message))
    return out
  }

  async close(): Promise<void> {
    for (const a of this.adapters.values()) await a.close?.()
    await Promise.all([...this.fakes.values()].map((f) => f.close()))
    await this.smtp.close()
  }
}
