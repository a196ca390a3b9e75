// The built-in chat commands' answers, in zh-CN and en.
import type { Forge } from '../shared/subscriptions.js'

export type Locale = 'zh-CN' | 'en'

const SECRET_FIELD: Record<Forge, string> = { github: 'webhookSecret', gitlab: 'token', gitea: 'webhookSecret' }
const SECRET_BOX: Record<Forge, { 'zh-CN': string; en: string }> = {
  github: { 'zh-CN': 'GitHub 仓库 Settings → Webhooks 的 Secret（Content type 选 application/json）', en: "the Secret of the GitHub repository's Settings → Webhooks (content type application/json)" },
  gitlab: { 'zh-CN': 'GitLab 项目 Settings → Webhooks 的 Secret token', en: "the Secret token of the GitLab project's Settings → Webhooks" },
  gitea: { 'zh-CN': 'Gitea 仓库 设置 → Web 钩子 的密钥文本', en: "the Secret of the Gitea repository's Settings → Webhooks" },
}

export const T = {
  help: {
    'zh-CN': 'hookcat 命令（群主、管理员或运维人员可用）：',
    en: 'hookcat commands (group owner, admins or operators):',
  },
  subscribed: {
    'zh-CN': (forge: Forge, target: string, events: string[], url: string) =>
      `已订阅 ${forge} ${target}${events.length ? `（事件：${events.join(', ')}）` : ''}，之后的事件会发到本群。\n` +
      `还需要在 ${forge} 添加 Webhook：\nURL：${url}\n密钥：填写 hookcat 配置中 plugins.${forge}.config.${SECRET_FIELD[forge]} 的值，即 ${SECRET_BOX[forge]['zh-CN']}（hookcat 不会在聊天里显示密钥）。`,
    en: (forge: Forge, target: string, events: string[], url: string) =>
      `Subscribed to ${forge} ${target}${events.length ? ` (events: ${events.join(', ')})` : ''}; its events will arrive in this chat.\n` +
      `Still needed, a webhook in ${forge}:\nURL: ${url}\nSecret: the value of plugins.${forge}.config.${SECRET_FIELD[forge]} in hookcat's config, as ${SECRET_BOX[forge].en} (hookcat never shows the secret in a chat).`,
  },
  already: { 'zh-CN': (f: string, t: string) => `本群已订阅 ${f} ${t}，事件设置已更新。`, en: (f: string, t: string) => `This chat was already subscribed to ${f} ${t}; its events were updated.` },
  unsubscribed: { 'zh-CN': (f: string, t: string) => `已取消订阅 ${f} ${t}。`, en: (f: string, t: string) => `Unsubscribed from ${f} ${t}.` },
  notSubscribed: {
    'zh-CN': (f: string, t: string) => `本群没有订阅 ${f} ${t}（配置文件里的路由只能在配置中修改）。`,
    en: (f: string, t: string) => `This chat has no subscription to ${f} ${t} (routes from the config file can only be changed there).`,
  },
  listHead: { 'zh-CN': '本群接收：', en: 'This chat receives:' },
  listEmpty: { 'zh-CN': '本群还没有订阅任何事件。用 /hookcat subscribe github owner/repo 订阅。', en: 'This chat receives nothing yet. Subscribe with /hookcat subscribe github owner/repo.' },
  fromConfig: { 'zh-CN': '（配置文件）', en: ' (config file)' },
  fromChat: { 'zh-CN': '（群内订阅）', en: ' (subscribed here)' },
  allEvents: { 'zh-CN': '全部事件', en: 'all events' },
  statusOk: { 'zh-CN': (waiting: number) => `本群没有发送失败的消息。待发送：${waiting} 条。`, en: (waiting: number) => `No failed messages for this chat. Waiting to be sent: ${waiting}.` },
  statusDead: {
    'zh-CN': (n: number, waiting: number) => `本群最近 ${n} 条发送失败的消息（死信，运维人员可在管理界面重试）；待发送：${waiting} 条。`,
    en: (n: number, waiting: number) => `The last ${n} messages that failed for this chat (dead letters; an operator can retry them in the admin UI); waiting: ${waiting}.`,
  },
  muted: {
    'zh-CN': (span: string, until: string, held: number) =>
      `本群已静音 ${span}，到 ${until}结束。期间的通知会保留，不会丢失，结束后合并成摘要发出${held ? `（现已保留 ${held} 条）` : ''}；命令的回复照常发送。提前结束：/hookcat unmute`,
    en: (span: string, until: string, held: number) =>
      `This chat is muted for ${span}, until ${until}. Notifications are held, never dropped, and sent as a digest when it ends${held ? ` (${held} held now)` : ''}; answers to commands still come through. To end it early: /hookcat unmute`,
  },
  unmuted: {
    'zh-CN': (held: number) => (held ? `已解除静音，静音期间保留的 ${held} 条消息马上合并发出。` : '已解除静音，静音期间没有新消息。'),
    en: (held: number) => (held ? `Unmuted: the ${held} messages held meanwhile are sent now, as a digest.` : 'Unmuted; nothing arrived while this chat was muted.'),
  },
  notMuted: { 'zh-CN': '本群现在没有静音。', en: 'This chat is not muted.' },
  statusMuted: { 'zh-CN': (until: string) => `本群静音中，到 ${until}结束。`, en: (until: string) => `This chat is muted until ${until}.` },
  tooMany: { 'zh-CN': '本群的订阅已达上限（50 个）。', en: 'This chat has reached its limit of 50 subscriptions.' },
}

/** What each built-in command does, as /hookcat help says it in the chat's language. */
export const COMMAND_WORDS: Record<string, Record<Locale, string>> = {
  'hookcat help': { 'zh-CN': '列出命令', en: 'the commands' },
  'hookcat subscribe': { 'zh-CN': '本群接收一个仓库（或组）的事件', en: "this chat receives a repository's (or group's) events" },
  'hookcat unsubscribe': { 'zh-CN': '取消本群的订阅', en: "ends this chat's subscription" },
  'hookcat list': { 'zh-CN': '本群接收哪些内容', en: 'what this chat receives' },
  'hookcat mute': { 'zh-CN': '静音一段时间（如 2h、30m），期间的通知保留，结束后合并发出', en: 'holds notifications for a while (2h, 30m), then sends them as a digest' },
  'hookcat unmute': { 'zh-CN': '立即解除静音', en: 'ends the mute now' },
  'hookcat status': { 'zh-CN': '发送失败的消息、待发送的数量、静音状态', en: 'failed messages, how many wait, whether muted' },
}

const SPAN_UNITS: Array<[number, { 'zh-CN': string; en: [string, string] }]> = [
  [86_400_000, { 'zh-CN': '天', en: ['day', 'days'] }],
  [3_600_000, { 'zh-CN': '小时', en: ['hour', 'hours'] }],
  [60_000, { 'zh-CN': '分钟', en: ['minute', 'minutes'] }],
  [1000, { 'zh-CN': '秒', en: ['second', 'seconds'] }],
]

/** A mute's length in words: "1 小时 30 分钟", "2 hours", "1 day 6 hours" (whole units, the two largest). */
export function spanWords(ms: number, locale: Locale): string {
  const parts: string[] = []
  let left = ms
  for (const [size, unit] of SPAN_UNITS) {
    const n = Math.floor(left / size)
    left -= n * size
    if (n > 0 && parts.length < 2) parts.push(locale === 'en' ? `${n} ${unit.en[n === 1 ? 0 : 1]}` : `${n} ${unit['zh-CN']}`)
  }
  return parts.join(' ')
}

/** A moment the chat's people read: "12月1日 14:30（UTC）" / "Dec 1, 14:30 UTC", in the chat's time zone or the server's. */
export function endsAt(ms: number, locale: Locale, timeZone?: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' }).formatToParts(ms)
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? ''
  const time = `${get('hour')}:${get('minute')}`
  if (locale === 'en') return `${MONTHS[Number(get('month')) - 1]} ${get('day')}, ${time} ${get('timeZoneName')}`
  return `${get('month')}月${get('day')}日 ${time}（${get('timeZoneName')}）`
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
