// Headless Chromium for the browser tests: Debian's package (installed with apt-get when missing), driven by playwright-core.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'

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
