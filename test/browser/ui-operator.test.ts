// The admin UI in real Chromium: languages, the schema form saving only changed fields, revert, dead-letter link,
// outbox paging and chat filter, delivery ↔ message links, 390 px layout, and no secret in any page or API answer.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { demoHost, failing, githubHeaders, SECRETS } from '../../src/admin/test-fixtures/fixtures.js'
import tasks from '../../src/plugins/tasks/index.js'
import { createTestHost, type TestHost } from '../../src/testing/index.js'
import { ensureChromium, launch, openPage, signIn as signInAs } from './chromium.js'

// page.evaluate() callbacks run inside the browser, where these globals exist.
declare const document: { documentElement: { scrollWidth: number; clientWidth: number } }

const TYPED = 'relay-typed-in-browser-SECRET'
const available = ensureChromium()
const skip = !available && 'chromium is not installed and could not be'
let browser: Browser
let t: TestHost
/** Every admin API answer the pages received, to look for secrets in. */
const answers: string[] = []

before(async () => {
  if (!available) return
  t = await demoHost()
  browser = await launch()
})

after(async () => {
  await browser?.close()
  await t?.close()
})

async function open(locale: string, width = 1200): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const { context, page, errors } = await openPage(browser, { locale, width })
  page.on('response', async (res) => {
    if (res.url().includes('/api/admin/') && !res.url().includes('/events') && !res.url().includes('/stream')) answers.push(await res.text().catch(() => ''))
  })
  return { context, page, errors }
}

const signIn = (page: Page, host: TestHost = t): Promise<void> => signInAs(page, host)

const config = async () => (await t.admin('/api/admin/plugins/demo/config')).json() as { overridden: string[]; config: Record<string, unknown> }

test('the UI follows the browser language (zh-CN), switches to English and remembers it', { skip }, async () => {
  const { context, page, errors } = await open('zh-CN')
  try {
    await page.goto(t.url)
    await page.getByRole('heading', { name: '登录 hookcat' }).waitFor()
    await signIn(page)
    await page.getByRole('heading', { name: '概览' }).waitFor()
    assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN')
    await page.getByRole('link', { name: '发件箱' }).click()
    await page.getByRole('heading', { name: '发件箱' }).waitFor()

    await page.getByLabel('语言').selectOption('en')
    await page.getByRole('heading', { name: 'Outbox' }).waitFor()
    assert.equal(await page.getByRole('link', { name: 'Deliveries' }).count(), 1)
    await page.reload()
    await page.getByRole('heading', { name: 'Outbox' }).waitFor()
    assert.equal(await page.locator('html').getAttribute('lang'), 'en')
    assert.deepEqual(errors, [])
  } finally {
    await context.close()
  }
})

test('the config form: lists are list editors, only changed fields are saved, errors by field, revert', { skip }, async () => {
  const { context, page, errors } = await open('en')
  try {
    await signIn(page)
    await page.getByRole('link', { name: 'Plugins' }).click()
    const card = page.locator('article[data-plugin="demo"]')
    await card.getByRole('button', { name: 'Settings' }).click()
    const form = card.locator('form.config')
    await form.waitFor()
    for (const area of await form.locator('textarea').all()) assert.notEqual((await area.inputValue()).trim(), 'null')
    assert.equal(await form.locator('[data-path="labels"] textarea').count(), 0)

    // Saving with no change stores nothing.
    await form.getByRole('button', { name: 'Save and reload' }).click()
    await page.getByText('Nothing changed, nothing saved.').waitFor()
    assert.deepEqual((await config()).overridden, [])

    // A number and a list item: exactly these two fields become overrides.
    await form.getByLabel('Retries', { exact: true }).fill('6')
    await form.getByRole('button', { name: 'Add to labels' }).click()
    await form.getByLabel('labels, item 1').fill('prod')
    await form.getByRole('button', { name: 'Save and reload' }).click()
    await card.locator('.overridden-note').waitFor()
    const saved = await config()
    assert.deepEqual(saved.overridden.sort(), ['labels', 'retries'])
    assert.equal(saved.config.retries, 6)
    assert.deepEqual(saved.config.labels, ['prod'])

    // A client-side rule from the schema, next to its field (the list was drawn again after the save).
    await card.getByRole('button', { name: 'Settings' }).click()
    await form.getByLabel('Retries', { exact: true }).fill('11')
    await form.getByRole('button', { name: 'Save and reload' }).click()
    await form.locator('#cfg-demo-retries-error', { hasText: 'at most 10' }).waitFor()
    await form.getByLabel('Retries', { exact: true }).fill('6')

    // A rule only the server knows (unique relay names), shown next to the list it is about; nothing is saved.
    await form.getByRole('button', { name: 'Add an entry' }).click()
    const entry = form.locator('[data-path="relays"] fieldset.item').nth(1)
    await entry.getByLabel('name *').fill('one')
    await entry.getByLabel('token *').fill(TYPED)
    await form.getByRole('button', { name: 'Save and reload' }).click()
    await form.locator('#cfg-demo-relays-error', { hasText: 'unique' }).waitFor()
    assert.equal(await form.locator('[data-path="relays"]').getAttribute('aria-invalid'), 'true')
    assert.deepEqual((await config()).overridden.sort(), ['labels', 'retries'])

    // Revert one field from its mark, then the rest.
    await form.getByRole('button', { name: 'Revert retries to hookcat.yaml' }).click()
    await page.getByText('Reverted: retries').waitFor()
    assert.deepEqual((await config()).overridden, ['labels'])
    await card.getByRole('button', { name: 'Revert all to hookcat.yaml' }).first().click()
    await page.getByText('demo: hookcat.yaml applies again').waitFor()
    assert.deepEqual((await config()).overridden, [])
    assert.equal((await config()).config.retries, undefined)
    assert.deepEqual(errors, [])
  } finally {
    await context.close()
  }
})

test('the tasks card says what the endpoint does: refused without a token, open only when public: true is said', { skip }, async () => {
  const closed = await createTestHost({ plugins: [tasks] })
  const opened = await createTestHost({ plugins: [tasks], config: { plugins: { tasks: { config: { public: true } } } } })
  const { context, page, errors } = await open('en')
  try {
    // The card's claim and the endpoint's answer come from the same check (routes.ts webhookAccess).
    for (const [host, access, status, words] of [
      [closed, 'refused', 503, /requests are refused/],
      [opened, 'open', 404, /accepted without verification/],
    ] as const) {
      const answer = (await host.webhook('tasks', '/long-process/no-such-task', { method: 'GET' })).status
      assert.equal(answer, status, `an unauthenticated request with access ${access}`)
      await signIn(page, host)
      await page.getByRole('link', { name: 'Plugins' }).click()
      const card = page.locator('article[data-plugin="tasks"]')
      await card.locator('.webhook').first().waitFor()
      for (const hook of await card.locator('.webhook').all()) {
        assert.equal(await hook.getAttribute('data-access'), access)
        assert.match((await hook.locator('.access').textContent())!, words)
      }
    }
    assert.deepEqual(errors, [])
  } finally {
    await context.close()
    await closed.close()
    await opened.close()
  }
})

test('dead-letter link, outbox paging and chat filter, message ↔ delivery links', { skip }, async () => {
  failing.on = true
  await t.admin('/api/admin/send', { method: 'POST', json: { chatKey: 'flaky-ops', message: 'dead on arrival' } })
  for (let i = 0; i < 30; i++) await t.admin('/api/admin/send', { method: 'POST', json: { chatKey: 'web-bulk', message: `bulk ${i}` } })
  const body = JSON.stringify({ text: 'linked message' })
  assert.equal((await t.webhook('demo', '/github', { body, headers: githubHeaders(body) })).status, 202)
  const { context, page, errors } = await open('en')
  try {
    await signIn(page)
    await page.getByRole('link', { name: 'Review dead letters' }).click()
    await page.getByRole('heading', { name: 'Outbox' }).waitFor()
    assert.match(page.url(), /#\/outbox\?state=dead$/)
    assert.equal(await page.getByLabel('State').inputValue(), 'dead')
    await page.locator('#outbox-rows tr', { hasText: 'dead on arrival' }).waitFor()
    for (const badge of await page.locator('#outbox-rows .badge').all()) assert.equal(await badge.getAttribute('data-value'), 'dead')

    // Pages of 25: the second page holds the rest, Newer goes back.
    await page.getByLabel('State').selectOption('')
    await page.getByLabel('Per page').selectOption('25')
    await page.getByText('Page 1').waitFor()
    assert.equal(await page.locator('#outbox-rows tr').count(), 25)
    const firstPage = await page.locator('#outbox-rows tr').first().getAttribute('data-id')
    await page.getByRole('button', { name: 'Older →' }).click()
    await page.getByText('Page 2').waitFor()
    const second = await page.locator('#outbox-rows tr').count()
    assert.ok(second >= 7 && second <= 25, `page 2 has ${second} rows`)
    assert.notEqual(await page.locator('#outbox-rows tr').first().getAttribute('data-id'), firstPage)
    await page.getByRole('button', { name: '← Newer' }).click()
    await page.getByText('Page 1').waitFor()

    await page.getByLabel('Chat').fill('flaky-ops')
    await page.getByRole('button', { name: 'Filter' }).click()
    await page.waitForFunction(() => [...(globalThis as any).document.querySelectorAll('#outbox-rows tr')].every((r: any) => r.textContent.includes('flaky-ops')))
    assert.equal(await page.locator('#outbox-rows tr').count(), 1)

    // A message produced by a delivery links to it.
    await page.getByLabel('Chat').fill('web-alerts')
    await page.getByRole('button', { name: 'Filter' }).click()
    await page.locator('#outbox-rows tr', { hasText: 'linked message' }).getByRole('button').click()
    await page.locator('.detail a.delivery-link').click()
    await page.getByRole('heading', { name: 'Deliveries' }).waitFor()
    await page.locator('#delivery-title', { hasText: 'POST /github' }).waitFor()
    assert.deepEqual(errors, [])
  } finally {
    await context.close()
  }
})

test('at 390 px every page fits and every section link is fully visible, in both languages', { skip }, async () => {
  for (const locale of ['en', 'zh-CN']) {
    const { context, page, errors } = await open(locale, 390)
    try {
      await signIn(page)
      for (const name of ['overview', 'plugins', 'deliveries', 'outbox', 'chats']) {
        await page.goto(`${t.url}/#/${name}`)
        await page.locator('main h1').waitFor()
        await page.waitForTimeout(300)
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
        assert.ok(overflow <= 1, `${locale} ${name}: the page is ${overflow}px wider than the phone`)
        for (const link of await page.locator('#nav a').all()) {
          const box = (await link.boundingBox())!
          assert.ok(box.x >= 0 && box.x + box.width <= 390, `${locale}: nav link ${await link.textContent()} is cut off (${box.x}+${box.width})`)
        }
      }
      assert.deepEqual(errors, [])
    } finally {
      await context.close()
    }
  }
})

test('no secret in any page or in any admin API answer the pages got', { skip }, async () => {
  const { context, page } = await open('en')
  try {
    await signIn(page)
    const pages: string[] = []
    for (const name of ['overview', 'plugins', 'deliveries', 'outbox', 'chats']) {
      await page.goto(`${t.url}/#/${name}`)
      await page.locator('main h1').waitFor()
      if (name === 'plugins') {
        await page.locator('article[data-plugin="demo"]').getByRole('button', { name: 'Settings' }).click()
        await page.locator('form.config').waitFor()
      }
      pages.push(await page.content())
    }
    assert.ok(answers.length > 10)
    for (const text of [...pages, ...answers]) {
      for (const value of [...Object.values(SECRETS), TYPED, t.adminToken]) assert.ok(!text.includes(value), `a secret (${value.slice(0, 6)}…) was shown`)
    }
  } finally {
    await context.close()
  }
})
