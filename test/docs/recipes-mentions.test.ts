// The people-and-mentions examples of the docs are real configurations: each one starts a host with the built-in plugins.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { substituteEnv } from '../../src/config/load.js'
import { createTestHost } from '../../src/testing/index.js'
import { snippets } from './snippets.js'

const doc = (name: string) => fileURLToPath(new URL(`../../docs/${name}`, import.meta.url))
const ENV = {
  GITHUB_WEBHOOK_SECRET: 'gh-secret-123',
  ALERTMANAGER_TOKEN: 'am-token-123',
  TELEGRAM_BOT_TOKEN: '123456:ABC-def',
  DISCORD_WEBHOOK: 'https://discord.com/api/webhooks/1/tok',
  DINGTALK_WEBHOOK: 'https://oapi.dingtalk.com/robot/send?access_token=x',
}

test('every YAML example with people in the recipes and the configuration page starts a host', async () => {
  let checked = 0
  for (const file of ['recipes.md', 'recipes.zh-CN.md', 'configuration.md']) {
    for (const s of snippets(doc(file)).filter((x) => x.lang === 'yaml' && /^people:/m.test(x.code))) {
      const config = substituteEnv(parse(s.code), ENV) as Record<string, unknown>
      const t = await createTestHost({ builtins: true, config })
      await t.close()
      checked++
    }
  }
  assert.ok(checked >= 5, `only ${checked} examples found`)
})
