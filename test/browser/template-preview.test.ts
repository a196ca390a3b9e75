// The config page's live preview in real Chromium: the sample rendered with the template being typed, and a mistake named by its path.
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
  t = await createTestHost({ builtins: true, config: { plugins: { alertmanager: { enabled: true, config: { locale: 'en', template: { title: 'saved: {{ labels.alertname }}' } } } } } })
  browser = await launch()
})

after(async () => {
  await browser?.close()
  await t?.close()
})

test('the preview follows the template while it is typed (not saved), as the chat view shows it; a mistake shows its path', { skip }, async () => {
  const { context, page, errors } = await openPage(browser, { locale: 'en' })
  try {
    await signIn(page, t)
    await page.getByRole('link', { name: 'Plugins' }).click()
    const card = page.locator('article[data-plugin="alertmanager"]')
    await card.getByRole('button', { name: 'Settings' }).click()
    const preview = card.locator('section.template-preview')
    await preview.getByText('saved: InstanceDown').waitFor()
    await preview.getByText('Rendered with plugins.alertmanager.config.template').waitFor()

    const field = card.locator('[data-path="template"] textarea')
    await field.fill('{"title": "typed: {{ firing }} down <b>x</b>"}')
    await preview.getByText('typed: 2 down <b>x</b>').waitFor()
    assert.equal(await preview.locator('b').count(), 0, 'template output is text, never markup')

    await field.fill('{"title": "{{ oncall }}"}')
    await preview.getByText(/plugins\.alertmanager\.config\.template\.title: unknown variable "oncall"/).waitFor()

    await field.fill('{"title": "{{ labels.job }}"}')
    await preview.getByRole('combobox', { name: 'Platform' }).selectOption('onebot_v11')
    await preview.locator('pre.preview-part').getByText(/"text": ".*node/).waitFor()
    const saved = (await t.admin('/api/admin/plugins/alertmanager/config')).json()
    assert.deepEqual(saved.config.template, { title: 'saved: {{ labels.alertname }}' }, 'previewing saves nothing')
    assert.deepEqual(errors, [])
  } finally {
    await context.close()
  }
})
