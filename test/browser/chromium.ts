// Headless Chromium for the browser tests: Debian's package (installed with apt-get when missing), driven by playwright-core.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'

export const CHROMIUM = '/usr/bin/chromium'

/** Installs Debian's chromium when it is missing (never downloads a browser build); false when that is impossible. */
export function ensureChromium(): boolean {
  if (existsSync(CHROMIUM)) return true
  try {
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { stdio: 'ignore', timeout: 300_000, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })
  } catch {
    return false
  }
  return existsSync(CHROMIUM)
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}

/** A fresh page in its own context that collects uncaught page errors (a test asserts there are none). */
export async function openPage(browser: Browser, options: { locale: string; width?: number; height?: number }): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ locale: options.locale, viewport: { width: options.width ?? 1200, height: options.height ?? 900 } })
  const page = await context.newPage()
  page.setDefaultTimeout(10_000)
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  return { context, page, errors }
}

/** Signs the page in to a running host's UI with its admin token and waits for the navigation. */
export async function signIn(page: Page, host: { url: string; adminToken: string }): Promise<void> {
  await page.goto(host.url)
  await page.locator('#token').fill(host.adminToken)
  await page.locator('form.signin button[type=submit]').click()
  await page.locator('#nav:not([hidden])').waitFor()
}
