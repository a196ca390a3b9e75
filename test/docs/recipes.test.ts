// Every YAML block of docs/recipes.md and its zh-CN translation is a valid config whose templates render the bundled samples.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { parse as parseYaml } from 'yaml'
import { parseConfig } from '../../src/config/load.js'
import { loadPreviewSample, previewConfigProblems, previewMessage, previewSamples, PREVIEW_PLUGINS } from '../../src/plugins/preview.js'

const ENV = { GITHUB_WEBHOOK_SECRET: 'recipe-secret', ALERTMANAGER_TOKEN: 'recipe-token' }

/** A value for every other ${VAR} a recipe names, as a reader would set it (a URL where the name says it is one). */
function envFor(block: string): Record<string, string> {
  const names = [...block.matchAll(/\$\{(\w+)(?::-[^}]*)?\}/g)].map((m) => m[1]!)
  return { ...Object.fromEntries(names.map((n) => [n, /WEBHOOK|URL/.test(n) ? `https://hooks.example.com/${n.toLowerCase()}` : `recipe-${n.toLowerCase()}-0123456789`])), ...ENV }
}

for (const page of ['docs/recipes.md', 'docs/recipes.zh-CN.md']) {
  test(`the configs of ${page} validate and their templates render every bundled sample`, async () => {
    const blocks = [...readFileSync(page, 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!)
    assert.ok(blocks.length >= 2, 'the recipes are missing')
    for (const block of blocks) {
      const config = parseConfig(parseYaml(block), { env: envFor(block) })
      for (const [plugin, entry] of Object.entries(config.plugins)) {
        if (!(PREVIEW_PLUGINS as readonly string[]).includes(plugin)) continue
        assert.deepEqual(previewConfigProblems(plugin, entry.config), [], `${page}: plugins.${plugin}`)
        for (const sample of previewSamples(plugin)) {
          const { message } = await previewMessage({ plugin, sample, body: loadPreviewSample(plugin, sample), config: entry.config, route: entry.config.routes ? 0 : undefined, now: 0 })
          if (message) assert.doesNotMatch(JSON.stringify(message), /undefined|\[object Object\]|NaN/, `${page}: ${plugin} ${sample}`)
        }
      }
    }
  })
}
