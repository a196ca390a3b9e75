// The golden files: what every platform receives for every built-in plugin's sample events, regenerated and compared.
// After a deliberate change: HOOKCAT_UPDATE_GOLDEN=1 node scripts/run-tests.mjs test/golden — then read the diff.
// The gallery pages (docs/messages*.md) are checked here too, after the files, so that an update writes them in order.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ensureChromium } from '../browser/chromium.js'
import { galleryPage, pagePath, ROOT, screenshotsWanted, takeScreenshots } from './gallery.js'
import { buildGolden, compareGolden, UPDATING } from './golden.js'
import { invariantProblems } from './invariants.js'
import { goldenSamples, octokitSamples, templatedSamples } from './samples.js'
import { digestSamples } from './digests.js'
import { Platforms } from './platforms.js'

test('the golden files hold exactly what each platform receives for each sample (HOOKCAT_UPDATE_GOLDEN=1 rewrites them)', async () => {
  const cases = await buildGolden([...goldenSamples(), ...digestSamples(), ...(await templatedSamples())])
  assert.ok(cases.length >= 60, `expected every plugin × sample × locale, got ${cases.length}`)
  const problems = compareGolden(cases)
  assert.equal(problems.length, 0, `${problems.length} golden files differ; after a deliberate change run HOOKCAT_UPDATE_GOLDEN=1 node scripts/run-tests.mjs test/golden and read the diff:\n${problems.join('\n')}`)
  if (UPDATING) console.log(`rewrote ${cases.length} golden files`)
})

const LOCALES = ['en', 'zh-CN'] as const

test('the message gallery pages are generated from the golden files and every picture they show exists', async () => {
  const problems: string[] = []
  for (const locale of LOCALES) {
    const page = await galleryPage(locale)
    if (UPDATING) writeFileSync(pagePath(locale), page)
    else if (!existsSync(pagePath(locale)) || readFileSync(pagePath(locale), 'utf8') !== page) problems.push(`${pagePath(locale)} is not what the golden files make; run HOOKCAT_UPDATE_GOLDEN=1 node scripts/run-tests.mjs test/golden`)
  }
  if (UPDATING && ensureChromium()) console.log(`took ${await takeScreenshots([...LOCALES])} screenshots`)
  for (const locale of LOCALES) {
    for (const { file } of screenshotsWanted(locale)) {
      const path = join(ROOT, file)
      if (!existsSync(path)) problems.push(`${file} is missing`)
      else if (!readFileSync(path).subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) problems.push(`${file} is not a PNG`)
    }
  }
  assert.equal(problems.length, 0, problems.join('\n'))
})

test('invariants over the golden corpus: no line or URL said twice, one icon, platform limits, valid markup, no holes', async () => {
  const cases = await buildGolden([...goldenSamples(), ...digestSamples(), ...(await templatedSamples())])
  const problems = cases.flatMap((c) => invariantProblems(`${c.sample.plugin}/${c.sample.sample}.${c.sample.locale}`, c.sample.message, c.deliveries))
  assert.equal(problems.length, 0, `${problems.length} invariant failures:\n${problems.join('\n')}`)
})

test('invariants over every payload of @octokit/webhooks-examples rendered for every adapter (checked, not committed)', async () => {
  const platforms = await new Platforms().start()
  const problems: string[] = []
  try {
    for (const s of octokitSamples()) {
      if (!s.message) continue
      problems.push(...invariantProblems(`${s.sample}.${s.locale}`, s.message, await platforms.deliverAll(s.message)))
    }
  } finally {
    await platforms.close()
  }
  assert.equal(problems.length, 0, `${problems.length} invariant failures:\n${problems.join('\n')}`)
})
