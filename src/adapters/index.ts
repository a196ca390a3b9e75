// The adapter types hookcat ships with, by type name.
import type { AdapterFactory } from '../host/outbox/adapter.js'
import { consoleAdapter } from './console/index.js'
import { dingtalkAdapter } from './dingtalk/index.js'
import { discordAdapter } from './discord/index.js'
import { emailAdapter } from './email/index.js'
import { feishuAdapter } from './feishu/index.js'
import { httpAdapter } from './http/index.js'
import { onebotAdapter } from './onebot_v11/index.js'
import { slackAdapter } from './slack/index.js'
import { telegramAdapter } from './telegram/index.js'
import { webAdapter } from './web/index.js'
import { wecomAdapter } from './wecom/index.js'

export const builtinAdapters: AdapterFactory[] = [
  consoleAdapter,
  webAdapter,
  onebotAdapter,
  telegramAdapter,
  discordAdapter,
  slackAdapter,
  feishuAdapter,
  dingtalkAdapter,
  wecomAdapter,
  emailAdapter,
  httpAdapter,
] as AdapterFactory[]
