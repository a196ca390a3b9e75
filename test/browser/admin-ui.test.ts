// End to end in a real browser: sign in, copy a webhook URL, watch a signed delivery and its chat message arrive live,
// see a config validation error, retry a dead letter; screenshots of each page go to test-artifacts/.
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { after, before, test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { demoHost, failing, githubHeaders } from '../../src/admin/test-fixtures/fixtures.js'
import type { TestHost } from '../../src/testing/index.js'
import { ensureChromium, launch } from './chromium.js'

// page.evaluate() callbacks run inside the browser, where these globals exist.
declare const document: { documentElement: { scrollWidth: number; clientWidth: number } }
declare const sessionStorage: { length: number }

const ARTIFACTS = 'test-artifacts'
const available = ensureChromium()
let browser: Browser
let t: TestHost
let page: Page

before(async () => {
  if (!available) return
  mkdirSync(ARTIFACTS, { recursive: true })
  t = await demoHost()
  browser = await launch()
  page = await browser.newPage({ viewport: { width: 1200, height: 900 }, locale: 'en-US' })
  page.setDefaultTimeout(10_000)
})

after(async () => {
  await browser?.close()
  await t?.close()
})

const shot = (name: string) => page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true })

test('the admin UI in Chromium: sign in, live delivery, web room, config error, dead letter retry', { skip: !available && 'chromium is not installed and could not be' }, async () => {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))

  // Sign in: a wrong token is refused, the right one opens the overview; the token never appears in the URL.
  await page.goto(t.url)
  await shot('signin')
  await page.getByLabel('Admin token').fill('wrong-token-value')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByText('That token is not right.').waitFor()
  await page.getByLabel('Admin token').fill(t.adminToken)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('heading', { name: 'Overview' }).waitFor()
  assert.ok(!page.url().includes(t.adminToken))

  // Plugins: the webhook URL shown is the one that works.
  await page.getByRole('link', { name: 'Plugins' }).click()
  const card = page.locator('article[data-plugin="demo"]')
  await card.waitFor()
  const url = (await card.locator('.webhook-url').first().textContent())!.trim()
  assert.equal(url, t.webhookUrl('demo', '/github'))
  await card.getByText('secret set').first().waitFor()
  await shot('plugins')

  // Deliveries: a signed webhook sent now appears in the open list without a reload.
  await page.getByRole('link', { name: 'Deliveries' }).click()
  await page.getByText('● live').waitFor()
  const body = JSON.stringify({ text: 'hello from the browser test' })
  const sent = await fetch(url, { method: 'POST', body, headers: githubHeaders(body) })
  assert.equal(sent.status, 202)
  const row = page.locator('#delivery-rows tr', { hasText: 'POST /github' })
  await row.waitFor()
  await row.getByRole('button').click()
  await page.locator('.detail pre', { hasText: 'hello from the browser test' }).waitFor()
  await shot('deliveries')

  // Chats: the handler's message lands in the web room it names.
  await page.getByRole('link', { name: 'Chats' }).click()
  await page.locator('.bubble', { hasText: '[push] hello from the browser test' }).waitFor()
  await page.getByLabel('Message to web-alerts').fill('typed in the room')
  await page.getByRole('button', { name: 'Send', exact: true }).click()
  await page.locator('.bubble', { hasText: 'typed in the room' }).waitFor()
  await shot('chats')

  // Config: an out-of-range value is refused with the error next to its field.
  await page.getByRole('link', { name: 'Plugins' }).click()
  await card.getByRole('button', { name: 'Settings' }).click()
  await card.getByLabel('Retries').fill('99')
  await card.getByRole('button', { name: 'Save and reload' }).click()
  await card.locator('#cfg-demo-retries-error').filter({ hasText: /\S/ }).waitFor()
  assert.equal(await card.getByLabel('Retries').getAttribute('aria-invalid'), 'true')
  assert.equal(await card.locator('#cfg-demo-webhookSecret').inputValue(), '')
  await shot('plugin-config-error')

  // Outbox: a message to a failing chat becomes a dead letter; once the chat works again, retry delivers it.
  failing.on = true
  await t.admin('/api/admin/send', { method: 'POST', json: { chatKey: 'flaky-ops', message: 'will fail first' } })
  await page.getByRole('link', { name: 'Outbox' }).click()
  await page.getByLabel('State').selectOption('dead')
  const dead = page.locator('#outbox-rows tr', { hasText: 'will fail first' })
  await dead.waitFor()
  await dead.getByRole('button').click()
  await page.locator('.detail .error', { hasText: failing.error }).waitFor()
  await shot('outbox-dead')
  failing.on = false
  await page.locator('.detail').getByRole('button', { name: 'Retry' }).click()
  await page.locator('.detail .badge', { hasText: /^delivered$/ }).waitFor()
  failing.on = true

  // Overview with numbers, and the phone-width layout.
  await page.getByRole('link', { name: 'Overview' }).click()
  await page.getByRole('heading', { name: 'Success rate' }).waitFor()
  await shot('overview')
  await page.setViewportSize({ width: 390, height: 844 })
  await page.getByRole('link', { name: 'Plugins' }).click()
  await card.waitFor()
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
  assert.ok(overflow <= 1, `the page is ${overflow}px wider than a phone screen`)
  await shot('plugins-phone')

  await page.getByRole('button', { name: 'Sign out' }).click()
  await page.getByLabel('Admin token').waitFor()
  assert.equal(await page.evaluate(() => sessionStorage.length), 0)
  assert.deepEqual(errors, [])
})
