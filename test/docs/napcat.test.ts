// The QQ set-ups of the guides are real: their hookcat YAML loads, and their NapCat JSON uses only NapCat's own keys.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { parse as parseYaml } from 'yaml'
import { onebotAdapter } from '../../src/adapters/onebot_v11/index.js'
import { parseConfig } from '../../src/config/load.js'
import { snippets } from './snippets.js'

const doc = (name: string) => fileURLToPath(new URL(`../../docs/${name}`, import.meta.url))

// NapCat's network schema, from NapCatQQ packages/napcat-onebot/config/config.ts (commit af07479, Aug 2026): a key the
// guides show that is not here is one NapCat drops when it parses its config.
const NAPCAT_KEYS: Record<string, string[]> = {
  httpServers: ['name', 'enable', 'port', 'host', 'enableCors', 'enableWebsocket', 'messagePostFormat', 'token', 'debug'],
  httpSseServers: ['name', 'enable', 'port', 'host', 'enableCors', 'enableWebsocket', 'messagePostFormat', 'token', 'debug', 'reportSelfMessage'],
  httpClients: ['name', 'enable', 'url', 'messagePostFormat', 'reportSelfMessage', 'token', 'debug'],
  websocketServers: ['name', 'enable', 'host', 'port', 'messagePostFormat', 'reportSelfMessage', 'token', 'enableForcePushEvent', 'debug', 'heartInterval'],
  websocketClients: ['name', 'enable', 'url', 'messagePostFormat', 'reportSelfMessage', 'reconnectInterval', 'token', 'debug', 'heartInterval', 'verifyCertificate'],
}

/** A value for every ${VAR} a block names, as a reader would set it. */
const envFor = (block: string): Record<string, string> =>
  Object.fromEntries([...block.matchAll(/\$\{(\w+)(?::[-?][^}]*)?\}/g)].map((m) => [m[1]!, `doc-${m[1]!.toLowerCase()}-0123456789`]))

// The zh-CN pages hold the same code blocks (test/docs/reference.test.ts), so the English ones cover them.
for (const page of ['adapters.md', 'getting-started.md']) {
  test(`the NapCat set-ups of docs/${page} are valid for hookcat and for NapCat`, () => {
    const blocks = snippets(doc(page))
    const yamls = blocks.filter((s) => s.lang === 'yaml' && /type: onebot_v11/.test(s.code))
    const jsons = blocks.filter((s) => s.lang === 'json' && /"network"/.test(s.code))
    assert.ok(yamls.length >= 1 && jsons.length >= 1, 'the NapCat examples are missing')
    let checkedAdapters = 0
    for (const s of yamls) {
      const config = parseConfig(parseYaml(s.code), { env: envFor(s.code) })
      // The host checks adapter settings when it starts them: check them here the same way.
      for (const [name, settings] of Object.entries(config.adapters as Record<string, { type?: string }>)) {
        if (settings.type !== 'onebot_v11') continue
        const checked = onebotAdapter.config.safeParse(settings)
        assert.ok(checked.success, `${page}:${s.line}: adapters.${name}: ${checked.success ? '' : checked.error.message}`)
        checkedAdapters++
      }
    }
    assert.ok(checkedAdapters >= yamls.length, 'every QQ example was checked')
    for (const s of jsons) {
      const network = (JSON.parse(s.code) as { network: Record<string, Record<string, unknown>[]> }).network
      for (const [list, entries] of Object.entries(network)) {
        assert.ok(NAPCAT_KEYS[list], `${page}:${s.line}: NapCat has no network list "${list}"`)
        for (const entry of entries) {
          for (const key of Object.keys(entry)) assert.ok(NAPCAT_KEYS[list]!.includes(key), `${page}:${s.line}: ${list} has no key "${key}"`)
          assert.equal(entry.messagePostFormat, 'array', `${page}:${s.line}: ${list} "${String(entry.name)}"`)
        }
      }
    }
  })
}
