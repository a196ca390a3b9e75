// The chat-links card of the UI's Chats page in real Chromium: a live OneBot WebSocket link's state and a /hookcat subscribe subscription, in en and zh-CN.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { createTestHost, type TestHost } from '../../src/testing/index.js'
import { waitFor } from '../../src/testing/helpers.js'
import { FakeNapCatServer, messageEvent } from '../fakes/napcat.js'
import { ensureChromium, launch, openPage, signIn } from './chromium.js'

const available = ensureChromium()
const skip = !available && 'chromium is not installed and could not be'
const TOKEN = 'napcat-token-links'
const SELF = 10001
const GROUP = 123456
let browser: Browser
let t: TestHost
let fake: FakeNapCatServer

before(async () => {
  if (!available) return
  fake = new FakeNapCatServer({ token: TOKEN, selfId: SELF })
  await fake.start()
  t = await createTestHost({
    builtins: true,
    config: { adapters: { qq: { type: 'onebot_v11', transport: 'ws', url: fake.url, accessToken: TOKEN } }, plugins: { github: { config: { webhookSecret: 'gh-secret-links', locale: 'en' } } } } as never,
  })
  browser = await launch()
  await waitFor(() => fake.clients.length === 1, 'hookcat connected to the fake NapCat')
})

after(async () => {
  await browser?.close()
  await t?.close()
  await fake?.stop()
})

async function chatsPage(locale: string): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
  const { context, page, errors } = await openPage(browser, { locale })
  await signIn(page, t)
  await page.goto(`${t.url}/#/chats`)
  return { page, errors, close: () => context.close() }
}

test('the Chats page shows the live OneBot link as up and the subscription a group made, in en and zh-CN; a lost link shows its new state', { skip }, async () => {
  fake.push(messageEvent({ selfId: SELF, groupId: GROUP, userId: 20001, role: 'admin', text: '/hookcat subscribe github acme/api push', messageId: 301 }))
  const stored = await waitFor(async () => {
    const body = (await t.admin('/api/admin/subscriptions')).json() as { subscriptions: Array<{ chatKey: string; target: string }> }
    return body.subscriptions[0]
  }, 'the subscription stored')
  assert.equal(stored.target, 'acme/api')

  for (const [locale, title, up, subs] of [
    ['en', 'Chat links and subscriptions', 'up', 'Subscriptions made in chats'],
    ['zh-CN', '聊天连接与订阅', '已连接', '会话中添加的订阅'],
  ] as const) {
    const { page, errors, close } = await chatsPage(locale)
    try {
      const card = page.locator('section[aria-labelledby=links-title]')
      assert.equal((await card.locator('h2').textContent())?.trim(), title)
      await card.getByText(subs).waitFor()
      const link = card.locator('table.links tbody tr[data-adapter=qq]')
      await link.waitFor()
      const state = link.locator('.badge')
      assert.equal(await state.getAttribute('data-value'), 'up', locale)
      assert.equal((await state.textContent())?.trim(), up, locale)
      assert.match((await link.textContent()) ?? '', new RegExp(String(SELF)), 'the connected bot is listed')
      const row = card.locator('table.subscriptions tbody tr', { hasText: 'acme/api' })
      await row.waitFor()
      const cells = (await row.locator('td').allTextContents()).map((c) => c.trim())
      assert.equal(cells[0], stored.chatKey)
      assert.deepEqual(cells.slice(1, 4), ['github', 'acme/api', 'push'])
      assert.deepEqual(errors, [])
    } finally {
      await close()
    }
  }

  await fake.stop()
  const lost = await waitFor(async () => {
    const { adapters } = (await t.admin('/api/admin/subscriptions')).json() as { adapters: Record<string, { state: string }> }
    return adapters.qq && adapters.qq.state !== 'up' ? adapters.qq.state : undefined
  }, 'the link seen as lost')
  const { page, errors, close } = await chatsPage('en')
  try {
    const state = page.locator('section[aria-labelledby=links-title] table.links tbody tr[data-adapter=qq] .badge')
    await state.waitFor()
    // The client tries again meanwhile: the page shows the link down or connecting, never up.
    const shown = await state.getAttribute('data-value')
    assert.ok(shown === lost || ['down', 'connecting'].includes(shown ?? ''), `the page shows ${shown}`)
    assert.deepEqual(errors, [])
  } finally {
    await close()
  }
})
