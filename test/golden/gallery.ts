// docs/messages.md and docs/messages.zh-CN.md from the golden files: one message per common event per platform, with web chat screenshots.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { simpleParser } from 'mailparser'
import { goldenPath } from './golden.js'
import type { Locale } from '../../src/plugins/shared/locale.js'

export const ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const IMG_DIR = 'docs/img/messages'
export const pagePath = (locale: Locale): string => join(ROOT, locale === 'en' ? 'docs/messages.md' : 'docs/messages.zh-CN.md')
export const imagePath = (plugin: string, sample: string, locale: Locale): string => `${IMG_DIR}/${plugin}-${sample}.${locale}.png`

/** The common events shown in the gallery, by plugin and sample. */
export const EVENTS: Array<[string, string]> = [
  ['github', 'push'],
  ['github', 'pull_request'],
  ['github', 'issues'],
  ['github', 'issue_comment'],
  ['github', 'release'],
  ['github', 'workflow_run'],
  ['gitlab', 'merge_request'],
  ['gitlab', 'pipeline'],
  ['alertmanager', 'firing'],
  ['alertmanager', 'resolved'],
  ['grafana', 'firing'],
  ['monitor', 'alert'],
]

const PLATFORMS: Array<[string, string, string]> = [
  ['onebot_v11', 'QQ (OneBot v11)', 'text'],
  ['telegram', 'Telegram (HTML)', 'html'],
  ['discord', 'Discord (embed)', 'json'],
  ['slack', 'Slack (Block Kit)', 'json'],
  ['feishu', 'Feishu / Lark (post)', 'json'],
  ['dingtalk', 'DingTalk (markdown)', 'markdown'],
  ['wecom', 'WeCom (markdown)', 'markdown'],
  ['email', 'E-mail', 'text'],
  ['console', 'Console', 'text'],
]

const WORDS = {
  en: {
    title: 'What a message looks like on each platform',
    intro: [
      'Generated from the golden files under `test/golden/files/` — the exact requests each platform receives for the bundled sample events —',
      'by `HOOKCAT_UPDATE_GOLDEN=1 node scripts/run-tests.mjs test/golden`; a test keeps this page in step with them. Do not edit it by hand.',
      'The picture is hookcat’s own web chat; below it, what every other platform is sent (the main field of each request).',
      'How a plugin builds a message: [plugin guide](plugin-guide.md#messages).',
    ],
    web: 'Web chat',
    none: 'The formatter describes no message for this sample.',
  },
  'zh-CN': {
    title: '各平台上的消息长什么样',
    intro: [
      '本页由 `test/golden/files/` 下的黄金文件生成（即每个平台对内置示例事件实际收到的请求），',
      '生成命令：`HOOKCAT_UPDATE_GOLDEN=1 node scripts/run-tests.mjs test/golden`；有测试保证本页与黄金文件一致，请勿手工编辑。',
      '图片是 hookcat 自带的网页聊天视图；其下是其他各平台收到的内容（每个请求的主要字段）。',
      '插件如何构造消息：见[插件指南](plugin-guide.zh-CN.md#消息)。',
    ],
    web: '网页聊天',
    none: '该示例没有对应的消息。',
  },
} as const

type Golden = Record<string, any>

const fence = (lang: string, body: string) => {
  const ticks = body.includes('```') ? '````' : '```'
  return `${ticks}${lang}\n${body}\n${ticks}`
}

/** An object with its lists one item a line: short enough to read, exact enough to copy. */
function compact(value: Record<string, unknown>): string {
  const entries = Object.entries(value).filter(([, v]) => v !== undefined)
  const show = (v: unknown) => (Array.isArray(v) ? `[\n${v.map((x) => `    ${JSON.stringify(x)}`).join(',\n')}\n  ]` : JSON.stringify(v))
  return `{\n${entries.map(([k, v]) => `  ${JSON.stringify(k)}: ${show(v)}`).join(',\n')}\n}`
}

async function shown(adapter: string, parts: any[]): Promise<string> {
  const each = await Promise.all(
    parts.map(async (p) => {
      switch (adapter) {
        case 'onebot_v11':
          return p.body.message.map((s: any) => (s.type === 'text' ? s.data.text : `[${s.type}:${s.data.qq ?? s.data.file}]`)).join('')
        case 'telegram':
          return p.body.text
        case 'discord':
          return compact({ content: p.body.content, embeds: p.body.embeds })
        case 'slack':
          return compact(p.body.blocks ? { text: p.body.text, blocks: p.body.blocks } : { text: p.body.text })
        case 'feishu':
          return compact(p.body.content.post.zh_cn)
        case 'dingtalk':
          return p.body.markdown.text
        case 'wecom':
          return p.body.markdown?.content ?? p.body.text.content
        case 'email': {
          const mail = await simpleParser((p as string[]).join('\r\n'))
          return `Subject: ${mail.subject}\n\n${String(mail.text ?? '').trimEnd()}`
        }
        case 'console':
          return (p as string[]).join('\n')
      }
      return ''
    }),
  )
  return each.join('\n\n— — —\n\n')
}

export const webHash = (web: unknown): string => createHash('sha256').update(JSON.stringify(web)).digest('hex').slice(0, 12)

/** The gallery page of one locale, from the committed golden files. */
export async function galleryPage(locale: Locale): Promise<string> {
  const w = WORDS[locale]
  const out = [`# ${w.title}`, '', ...w.intro, '']
  for (const [plugin, sample] of EVENTS) {
    const g = JSON.parse(readFileSync(goldenPath({ plugin: plugin as never, sample, locale }), 'utf8')) as Golden
    out.push(`## ${plugin}: ${sample}`, '')
    if (!g.message) {
      out.push(w.none, '')
      continue
    }
    // The hash ties the picture to the message it shows: a changed message changes this page, and the update retakes it.
    out.push(`![${w.web}: ${plugin} ${sample}](${imagePath(plugin, sample, locale).replace(/^docs\//, '')})`, `<!-- web message ${webHash(g.web)} -->`, '')
    for (const [adapter, name, lang] of PLATFORMS) out.push(`**${name}**`, '', fence(lang, await shown(adapter, g[adapter] ?? [])), '')
  }
  return `${out.join('\n').trimEnd()}\n`
}

/** The web chat messages the screenshots show, by image path. */
export function screenshotsWanted(locale: Locale): Array<{ file: string; message: unknown }> {
  return EVENTS.flatMap(([plugin, sample]) => {
    const g = JSON.parse(readFileSync(goldenPath({ plugin: plugin as never, sample, locale }), 'utf8')) as Golden
    return g.web?.[0] ? [{ file: imagePath(plugin, sample, locale), message: g.web[0] }] : []
  })
}

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html; charset=utf-8' }
const PAGE = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><link rel="stylesheet" href="/app.css">
<style>body{margin:0;padding:10px;width:560px;background:var(--bg-page,#fff)} ol{list-style:none;margin:0;padding:0}</style></head>
<body><ol class="messages" id="list"></ol><script type="module">
import { h } from '/js/dom.js'
import { messageView } from '/js/message-view.js'
window.show = (m) => document.getElementById('list').replaceChildren(h('li', { class: 'bubble ' + (m.level ?? '') }, h('div', { class: 'meta' }, 'web-ops'), messageView(m)))
window.ready = true
</script></body></html>`

/** Serves the web UI's files and a page that renders one message with message-view.js, for the browser. */
export async function viewServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const ui = join(ROOT, 'src/admin/ui')
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    if (path === '/view.html') return res.writeHead(200, { 'content-type': TYPES['.html'] }).end(PAGE)
    const file = join(ui, path)
    if (!file.startsWith(ui) || !existsSync(file) || !TYPES[extname(file)]) return res.writeHead(404).end()
    res.writeHead(200, { 'content-type': TYPES[extname(file)] }).end(readFileSync(file))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/view.html`, close: () => new Promise((r) => server.close(() => r())) }
}

/** Takes the screenshots with headless Chromium (test/browser/chromium.ts). */
export async function takeScreenshots(locales: Locale[]): Promise<number> {
  const { launch } = await import('../browser/chromium.js')
  const view = await viewServer()
  const browser = await launch()
  let n = 0
  try {
    const page = await browser.newPage({ viewport: { width: 580, height: 400 }, deviceScaleFactor: 1 })
    await page.goto(view.url)
    await page.waitForFunction('window.ready === true')
    mkdirSync(join(ROOT, IMG_DIR), { recursive: true })
    for (const locale of locales) {
      for (const { file, message } of screenshotsWanted(locale)) {
        await page.evaluate((m) => (globalThis as unknown as { show: (m: unknown) => void }).show(m), message)
        writeFileSync(join(ROOT, file), await page.locator('#list').screenshot())
        n++
      }
    }
  } finally {
    await browser.close()
    await view.close()
  }
  return n
}
