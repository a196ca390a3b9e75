// Payload text is never markup: a corpus of injection strings in title, source, body and fields, checked per dialect,
// through every adapter to its fake and once through a real server.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { definePlugin, type Message } from '../../src/index.js'
import { createTestHost } from '../../src/testing/index.js'
import { fakeDiscord } from '../fakes/discord.js'
import { makeAdapter, sendWhole } from '../fakes/harness.js'
import { telegramProblems, telegramVisible } from '../fakes/limits.js'
import { fakeTelegram } from '../fakes/telegram.js'
import { telegramAdapter } from '../../src/adapters/telegram/index.js'
import { fakeSlack } from '../fakes/slack.js'
import { fakeWeCom } from '../fakes/wecom.js'
import { Platforms, type Delivery } from './platforms.js'

const GOOD = 'https://good.example/x'
export const INJECTIONS = [
  '[click me](https://evil.example)',
  '<a href="https://evil.example">x</a>',
  '**bold**',
  '# heading',
  '<@everyone>',
  '@everyone @here',
  '@all',
  '<!channel>',
  '<at user_id="all">所有人</at>',
  '`code` and ``` fence',
  'a | b | c',
  '<https://evil.example|label>',
  '> quote',
  '__under__ _it_ ~~strike~~ ~s~',
  '![img](https://evil.example/x.png)',
  '<font color="warning">red</font>',
  '[ref][1]',
]

const messageWith = (s: string): Message => ({ title: `T ${s}`, source: `S ${s}`, text: `B ${s}\n${s}`, fields: [{ name: 'F', value: `V ${s}` }], link: { url: GOOD }, level: 'info' })

const bodies = (d: Delivery): any[] => (d.parts as Array<{ body: any }>).map((p) => p.body)

/** Markup a platform would act on, left in what it received; ours (the link, bold field names, headings) removed first. */
function activeMarkup(d: Delivery): string[] {
  const found: string[] = []
  const flag = (what: string, re: RegExp, text: string) => {
    const m = re.exec(text)
    if (m) found.push(`${what}: ${JSON.stringify(text.slice(Math.max(0, m.index - 20), m.index + 30))}`)
  }
  const markdownLike = (text: string) => {
    const rest = text.split(`](${GOOD})`).join('').replace(/\*\*F:\*\*/g, '').replace(/^#{3,4} /m, '')
    flag('a link', /\]\(/, rest)
    flag('a reference link', /\]\[/, rest)
    flag('bold or italic', /\*/, rest)
    flag('a tag or mention', /</, rest)
    flag('code', /`/, rest)
    flag('strike', /~~/, rest)
    flag('a heading', /^\s*#/m, rest)
    flag('a quote', /^\s*>/m, rest)
  }
  switch (d.adapter) {
    case 'wecom':
      for (const b of bodies(d)) markdownLike(b.markdown?.content ?? '')
      break
    case 'dingtalk':
      for (const b of bodies(d)) markdownLike(b.markdown.text)
      break
    case 'slack':
      for (const b of bodies(d)) {
        const texts: string[] = [b.text]
        for (const block of b.blocks ?? []) {
          if (block.type === 'section' && block.text) texts.push(block.text.text)
          for (const f of block.fields ?? []) texts.push(f.text)
          for (const e of block.type === 'context' ? block.elements : []) if (e.type === 'mrkdwn') texts.push(e.text)
        }
        for (const t of texts) {
          const rest = t.replace(new RegExp(`<${GOOD.replace(/[.]/g, '\\.')}\\|[^>]*>`, 'g'), '').replace(/^\*F\*\n/, '')
          flag('a link, mention or command', /</, rest)
          flag('bold', /\*/, rest)
          flag('code', /`/, rest)
          flag('italic or strike', /(^|[\s(])[_~]|[_~]($|[\s).,])/, rest)
        }
      }
      break
    case 'discord':
      for (const b of bodies(d)) {
        const texts = [b.content ?? '', ...(b.embeds ?? []).flatMap((e: any) => [e.title ?? '', e.description ?? '', ...(e.fields ?? []).flatMap((f: any) => [f.name, f.value])])]
        for (const e of b.embeds ?? []) if (e.url && e.url !== GOOD) found.push(`embed url ${e.url}`)
        if ((b.allowed_mentions?.parse ?? ['everyone']).length) found.push('allowed_mentions.parse is not empty')
        for (const t of texts) {
          const rest = t.split(`](<${GOOD}>)`).join('')
          flag('a link', /(^|[^\\])\]\(/, rest)
          flag('bold or italic', /(^|[^\\])[*_]/, rest)
          flag('a mention or tag', /(^|[^\\])</, rest)
          flag('code', /(^|[^\\])`/, rest)
          flag('@everyone', /@(everyone|here)/, rest)
          flag('a heading or quote', /^\s*[#>]/m, rest)
        }
      }
      break
    case 'telegram':
      for (const b of bodies(d)) {
        for (const m of b.text.matchAll(/<([a-z-]+)([^>]*)>/g)) {
          if (m[1] === 'a' && m[2] !== ` href="${GOOD}"`) found.push(`a link to ${m[2]}`)
          else if (!['a', 'b'].includes(m[1])) found.push(`a <${m[1]}> tag`)
        }
        const seen = telegramVisible(b.text, b.parse_mode)
        if ('error' in seen) found.push(seen.error)
      }
      break
    case 'feishu':
      for (const b of bodies(d)) for (const p of b.content.post.zh_cn.content) for (const s of p) if ((s.tag === 'a' && s.href !== GOOD) || s.tag === 'at') found.push(`a ${s.tag} segment`)
      break
    case 'onebot_v11':
      for (const b of bodies(d)) for (const s of b.message) if (s.type !== 'text') found.push(`a ${s.type} segment`)
      break
    case 'email':
      for (const mail of d.mails) {
        const html = String(mail.parsed.html)
        for (const m of html.matchAll(/<a\s+href="([^"]*)"/g)) if (m[1] !== GOOD) found.push(`a link to ${m[1]}`)
        flag('a payload tag', /<(font|at|img)\b/, html)
      }
      break
    default:
      break
  }
  return found
}

test('no injection string becomes markup, a link or a mention on any platform', async () => {
  const platforms = await new Platforms().start()
  const problems: string[] = []
  try {
    for (const s of INJECTIONS) {
      for (const d of await platforms.deliverAll(messageWith(s))) for (const p of activeMarkup(d)) problems.push(`${d.adapter} ${JSON.stringify(s)}: ${p}`)
    }
    // The words still reach the reader: on a plain platform, exactly as written.
    const [onebot] = await Promise.all([platforms.deliver('onebot_v11', messageWith(INJECTIONS[0]))])
    assert.match(bodies(onebot)[0].message[0].data.text, /B \[click me\]\(https:\/\/evil\.example\)/)
  } finally {
    await platforms.close()
  }
  assert.equal(problems.length, 0, problems.join('\n'))
})

test('Telegram MarkdownV2: every injection string is escaped, the only link is the message link', async () => {
  const fake = fakeTelegram('1:mdv2-token')
  const apiBase = await fake.start()
  try {
    const tg = makeAdapter(telegramAdapter, { token: '1:mdv2-token', apiBase, parseMode: 'MarkdownV2' })
    for (const s of INJECTIONS) {
      const before = fake.accepted.length
      await sendWhole(tg, '10001', messageWith(s))
      const sent = fake.accepted.slice(before)
      assert.equal(sent.length, 1, s)
      const body = sent[0].json
      assert.equal(body.parse_mode, 'MarkdownV2', `${s}: sent with markup, not the plain fallback`)
      assert.deepEqual(telegramProblems(body), [], s)
      const links = [...body.text.matchAll(/(?<!\\)\]\(((?:[^)\\]|\\.)*)\)/g)].map((m) => m[1])
      assert.deepEqual(links, [GOOD], s)
      assert.ok(body.text.replace(/\\(.)/g, '$1').includes(`B ${s}`), `${s}: the words arrive`)
    }
  } finally {
    await fake.close()
  }
})

test('through a real server: a plugin relaying payload text to WeCom, Slack and Discord sends no working link or mention', async () => {
  const wecom = fakeWeCom(['inj-key-0001'])
  const slack = fakeSlack(['/services/T/B/inj'])
  const discord = fakeDiscord({ '42': 'inj-token' })
  const [wecomUrl, slackUrl, discordUrl] = await Promise.all([wecom.start(), slack.start(), discord.start()])
  const plugin = definePlugin({
    name: 'inj',
    version: '1.0.0',
    setup(p) {
      p.mountWebhook(
        '/issue',
        async (req) => {
          const { title, body } = await req.json<{ title: string; body: string }>()
          for (const chat of ['wc-ops', 'sl-ops', 'dc-ops']) await p.send(chat, { title, text: body, source: 'acme/api', link: { url: GOOD } })
          return { ok: true }
        },
        { public: true },
      )
    },
  })
  const t = await createTestHost({
    plugins: [plugin],
    config: {
      adapters: {
        wc: { type: 'wecom', apiBase: wecomUrl, webhooks: [{ name: 'ops', key: 'inj-key-0001' }] },
        sl: { type: 'slack', webhooks: [{ name: 'ops', url: `${slackUrl}/services/T/B/inj` }] },
        dc: { type: 'discord', webhooks: [{ name: 'ops', url: `${discordUrl}/api/webhooks/42/inj-token` }] },
      },
    },
  })
  try {
    const answer = await t.webhook('inj', '/issue', { body: { title: '[click me](https://evil.example) **now**', body: '<!channel> <@everyone> # big\n[x](https://evil.example)' } })
    assert.equal(answer.status, 200)
    for (let i = 0; i < 200 && (wecom.accepted.length < 1 || slack.accepted.length < 1 || discord.accepted.length < 1); i++) await new Promise((r) => setTimeout(r, 25))
    const received = [
      { adapter: 'wecom' as const, parts: wecom.accepted.map((r) => ({ request: r.path, body: r.json })), raw: wecom.accepted },
      { adapter: 'slack' as const, parts: slack.accepted.map((r) => ({ request: r.path, body: r.json })), raw: slack.accepted },
      { adapter: 'discord' as const, parts: discord.accepted.map((r) => ({ request: r.path, body: r.json })), raw: discord.accepted },
    ]
    for (const d of received) {
      assert.equal(d.parts.length, 1, `${d.adapter} received the message`)
      assert.deepEqual(activeMarkup(d), [], d.adapter)
    }
    assert.match(wecom.accepted[0].json.markdown.content, /\[https:\/\/good\.example\/x\]\(https:\/\/good\.example\/x\)/, 'the plugin link is the one working link')
  } finally {
    await t.close()
    await Promise.all([wecom.close(), slack.close(), discord.close()])
  }
})

test('through a real server: a relay template that outputs payload markup reaches WeCom as plain text, not a link or heading', async () => {
  const wecom = fakeWeCom(['relay-key-0001'])
  const base = await wecom.start()
  const t = await createTestHost({
    builtins: true,
    config: {
      adapters: { wc: { type: 'wecom', apiBase: base, webhooks: [{ name: 'ops', key: 'relay-key-0001' }] } },
      plugins: { relay: { enabled: true, config: { relays: [{ name: 'ci', public: true, template: '{{ body.title }}\n{{ body.text }}', chats: ['wc-ops'] }] } } },
    },
  })
  try {
    const answer = await t.webhook('relay', '/ci', { body: { title: '# [click me](https://evil.example)', text: '**bold** <@all> `x`' } })
    assert.ok(answer.status < 300, `relay answered ${answer.status}`)
    for (let i = 0; i < 200 && wecom.accepted.length < 1; i++) await new Promise((r) => setTimeout(r, 25))
    const d = { adapter: 'wecom' as const, parts: wecom.accepted.map((r) => ({ request: r.path, body: r.json })), raw: wecom.accepted }
    assert.equal(d.parts.length, 1)
    assert.deepEqual(activeMarkup(d), [])
    assert.match(wecom.accepted[0].json.markdown.content, /click me/)
  } finally {
    await t.close()
    await wecom.close()
  }
})
