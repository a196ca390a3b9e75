// The mutes card of the UI's Chats page in real Chromium: mute a chat, see it listed with what it holds, unmute it (zh-CN).
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Browser } from 'playwright-core'
import { createTestHost, type TestHost } from '../../src/testing/index.js'
import { ensureChromium, launch, openPage, signIn } from './chromium.js'

const available = ensureChromium()
const skip = !available && 'chromium is not installed and could not be'
let browser: Browser
let t: TestHost

before(async () => {
  if (!available) return
  t = await createTestHost()
  browser = await launch()
})

after(async () => {
  await browser?.close()
  await t?.close()
})

test('the Chats page mutes a chat for 2h, lists it with its held count, and unmutes it', { skip }, async () => {
  const { context, page, errors } = await openPage(browser, { locale: 'zh-CN' })
  try {
    await signIn(page, t)
    await page.goto(`${t.url}/#/chats`)
    const card = page.locator('section[aria-labelledby=mutes-title]')
    await card.getByText('没有静音的会话。').waitFor()
    await page.locator('#mute-chat').fill('test-room')
    await page.locator('#mute-duration').fill('2h')
    await card.getByRole('button', { name: '静音', exact: true }).click()
    const row = card.locator('tbody tr', { hasText: 'test-room' })
    await row.waitFor()
    assert.equal((await row.locator('td.num').textContent())?.trim(), '0')
    const listed = (await t.admin('/api/admin/mutes')).json() as { mutes: Array<{ chatKey: string; until: number }> }
    assert.equal(listed.mutes[0]?.chatKey, 'test-room')
    const hours = (listed.mutes[0].until - Date.now()) / 3_600_000
    assert.ok(hours > 1.9 && hours <= 2, `muted for 2 h (${hours.toFixed(3)} h)`)
    await row.getByRole('button', { name: '取消静音' }).click()
    await card.getByText('没有静音的会话。').waitFor()
    assert.deepEqual(((await t.admin('/api/admin/mutes')).json() as { mutes: unknown[] }).mutes, [])
    assert.deepEqual(errors, [])
  } finally {
    await context.close()
  }
})
