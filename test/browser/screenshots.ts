// Takes the screenshots in the docs (docs/img/ui-*.png, en and zh-CN) with headless Chromium: npx tsx test/browser/screenshots.ts
import { mkdirSync } from 'node:fs'
import type { Browser } from 'playwright-core'
import github from '../../src/plugins/github/index.js'
import { demoHost, failing, githubHeaders } from '../../src/admin/test-fixtures/fixtures.js'
import { createTestHost, type TestHost } from '../../src/testing/index.js'
import { ensureChromium, launch } from './chromium.js'

// page.evaluate() callbacks run inside the browser, where this global exists.
declare const sessionStorage: { clear(): void }
declare const window: { scrollTo(x: number, y: number): void }
declare const document: { activeElement: { blur(): void } | null }

const OUT = 'docs/img'

/** A host with some history: deliveries, messages in a web room, one dead letter and one overridden field. */
export async function showcaseHost(): Promise<TestHost> {
  const t = await demoHost()
  for (const text of ['✅ build passed on main', '🚀 release v1.4.0 published', '🐛 issue #42 opened: 登录在 Safari 上失败']) {
    const body = JSON.stringify({ text })
    await t.webhook('demo', '/github', { body, headers: githubHeaders(body) })
  }
  failing.on = true
  await t.admin('/api/admin/send', { method: 'POST', json: { chatKey: 'flaky-ops', message: 'disk almost full on db-1' } })
  await t.admin('/api/admin/plugins/demo/config', { method: 'PUT', json: { config: { retries: 5 } } })
  return t
}

async function githubHost(): Promise<TestHost> {
  return createTestHost({
    plugins: [github],
    config: {
      plugins: {
        github: {
          config: {
            webhookSecret: 'screenshot-secret-1234',
            notificationChat: 'web-alerts',
            routes: [{ repository: 'acme/api', chats: ['web-backend', 'web-alerts'], filters: { branches: ['main', 'release/*'] } }],
          },
        },
      },
    },
  })
}

async function shoot(browser: Browser, t: TestHost, gh: TestHost, lang: 'en' | 'zh-CN'): Promise<void> {
  const suffix = lang === 'en' ? 'en' : 'zh-CN'
  for (const [width, tag] of [
    [1280, ''],
    [390, '-phone'],
  ] as const) {
    const context = await browser.newContext({ viewport: { width, height: 900 }, locale: lang, colorScheme: 'light', deviceScaleFactor: 1 })
    const page = await context.newPage()
    page.setDefaultTimeout(10_000)
    const signIn = async (host: TestHost) => {
      await page.goto(host.url)
      await page.locator('#token').fill(host.adminToken)
      await page.locator('form.signin button[type=submit]').click()
      await page.locator('#nav:not([hidden])').waitFor()
    }
    const shot = (name: string) => page.screenshot({ path: `${OUT}/ui-${name}${tag}.${suffix}.png`, fullPage: tag === '' })
    await signIn(t)
    await page.locator('.chart').first().waitFor()
    await shot('overview')
    await page.goto(`${t.url}/#/plugins`)
    await page.locator('article[data-plugin="demo"] .webhook').first().waitFor()
    await page.locator('article[data-plugin="demo"] button[aria-expanded]').click()
    await page.locator('form.config').waitFor()
    await page.evaluate(() => document.activeElement?.blur())
    await shot('plugins')
    await page.goto(`${t.url}/#/deliveries`)
    await page.locator('#delivery-rows tr').first().waitFor()
    await page.locator('#delivery-rows tr button').first().click()
    await page.locator('#delivery-title').waitFor()
    await shot('deliveries')
    await page.goto(`${t.url}/#/outbox?state=dead`)
    await page.locator('#outbox-rows tr button').first().click()
    await page.locator('#message-title').waitFor()
    await shot('outbox')
    await page.goto(`${t.url}/#/chats`)
    await page.locator('.bubble').first().waitFor()
    await shot('chats')
    if (tag === '') {
      await page.evaluate(() => sessionStorage.clear())
      await signIn(gh)
      await page.goto(`${gh.url}/#/plugins`)
      await page.locator('article[data-plugin="github"] button[aria-expanded]').click()
      await page.locator('form.config .list-of-objects').waitFor()
      // Clipped from a full-page shot: an element shot would have the sticky header over its top.
      await page.evaluate(() => (document.activeElement?.blur(), window.scrollTo(0, 0)))
      const box = (await page.locator('form.config').boundingBox())!
      await page.screenshot({ path: `${OUT}/ui-config-form.${suffix}.png`, fullPage: true, clip: { x: box.x - 8, y: box.y - 2, width: box.width + 16, height: box.height + 10 } })
    }
    await context.close()
  }
}

async function main(): Promise<void> {
  if (!ensureChromium()) throw new Error('chromium is not installed')
  mkdirSync(OUT, { recursive: true })
  const t = await showcaseHost()
  const gh = await githubHost()
  const browser = await launch()
  try {
    for (const lang of ['en', 'zh-CN'] as const) await shoot(browser, t, gh, lang)
  } finally {
    await browser.close()
    await t.close()
    await gh.close()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main()
