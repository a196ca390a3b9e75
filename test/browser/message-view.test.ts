// The web chat's message view in Chromium: every piece shown once, and payload text that looks like HTML stays text.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { viewServer } from '../golden/gallery.js'
import { ensureChromium, launch } from './chromium.js'

const available = ensureChromium()

test('message-view.js shows icon, source, title (linked), body, fields once; HTML in payload text is never parsed', { skip: !available && 'chromium is not installed and could not be' }, async () => {
  const view = await viewServer()
  const browser = await launch()
  try {
    const page = await browser.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(view.url)
    await page.waitForFunction('window.ready === true')
    const hostile = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>'
    await page.evaluate(
      (m) => (globalThis as unknown as { show: (m: unknown) => void }).show(m),
      { title: `Build ${hostile}`, source: 'acme/api', level: 'error', text: `line one\n${hostile}`, fields: [{ name: 'Branch', value: hostile }], link: { url: 'https://ci.example/1' }, images: [{ url: 'javascript:alert(1)', name: 'x' }] },
    )
    const list = page.locator('#list')
    assert.equal(await list.locator('img, script').count(), 0)
    assert.equal(await page.evaluate('window.pwned ?? null'), null)
    assert.equal(await list.locator('.headline').innerText(), `❗ [acme/api] Build ${hostile}`)
    assert.equal(await list.locator('a').count(), 1, 'only the message link is a link')
    assert.equal(await list.locator('a').getAttribute('href'), 'https://ci.example/1')
    assert.equal(await list.locator('.text').innerText(), `line one\n${hostile}`)
    assert.equal(await list.locator('dd').innerText(), hostile)
    await page.evaluate((m) => (globalThis as unknown as { show: (m: unknown) => void }).show(m), { text: 'just this' })
    assert.equal(await list.locator('.text').innerText(), 'just this')
    assert.equal(await list.locator('.headline, dl, a').count(), 0, 'a string message is its text, nothing more')
    assert.deepEqual(errors, [])
  } finally {
    await browser.close()
    await view.close()
  }
})
