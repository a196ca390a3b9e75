// Generated and copied parts of the docs match the code: the CLI reference, and the plugin `hookcat new` writes.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildProgram } from '../../src/cli/program.js'
import { CLI_REFERENCE_FILE, renderCliReference } from '../../src/dev/cli-reference.js'
import { pluginFiles } from '../../src/dev/scaffold.js'
import { snippets } from './snippets.js'

const docs = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs')
/** Pages with a zh-CN translation beside them (besides the two guides). */
const TRANSLATED = ['configuration', 'adapters', 'deploy', 'cli']

test('docs/reference/cli.md is generated from the current commands', () => {
  const fresh = renderCliReference(buildProgram())
  assert.equal(readFileSync(CLI_REFERENCE_FILE, 'utf8'), fresh, 'out of date: run `node --import tsx --conditions=hookcat-src src/dev/cli-reference.ts`')
  for (const command of buildProgram().commands) assert.match(fresh, new RegExp(`## \`hookcat ${command.name()}\``))
})

test('the plugin shown in getting-started is the one `hookcat new plugin` writes', () => {
  const generated = pluginFiles('hello-chat')['index.ts'].split('\n').slice(1).join('\n').trim()
  for (const file of ['getting-started.md', 'getting-started.zh-CN.md']) {
    const shown = snippets(join(docs, file)).find((s) => s.lang === 'ts')
    assert.equal(shown?.code.trim(), generated, `${file} shows another plugin than the template`)
  }
})

test('the adapter table of docs/adapters.md lists every built-in adapter as it is now', async () => {
  const { ADAPTERS_DOC, withAdapterTable } = await import('../../src/dev/adapter-reference.js')
  const doc = readFileSync(ADAPTERS_DOC, 'utf8')
  assert.equal(doc, withAdapterTable(doc), 'out of date: run `node --import tsx --conditions=hookcat-src src/dev/adapter-reference.ts`')
})

test('the Chinese guides hold the same commands and code as the English ones, so the tests of those cover them', () => {
  for (const guide of ['getting-started', 'plugin-guide', ...TRANSLATED]) {
    const en = snippets(join(docs, `${guide}.md`)).map((s) => [s.lang, s.marker, s.code])
    const zh = snippets(join(docs, `${guide}.zh-CN.md`)).map((s) => [s.lang, s.marker, s.code])
    assert.deepEqual(zh, en, `docs/${guide}.zh-CN.md differs from docs/${guide}.md in its code blocks`)
  }
})

test('each zh-CN page keeps step with its English page: same sections, the same generated tables, links both ways', async () => {
  const { withAdapterTable } = await import('../../src/dev/adapter-reference.js')
  const { withGeneratedTable } = await import('../../src/cli/config-doc.js')
  const sections = (text: string) => text.split('\n').filter((l) => /^#{1,3} /.test(l)).length
  for (const page of TRANSLATED) {
    const en = readFileSync(join(docs, `${page}.md`), 'utf8')
    const zh = readFileSync(join(docs, `${page}.zh-CN.md`), 'utf8')
    assert.equal(sections(zh), sections(en), `docs/${page}.zh-CN.md has another number of sections than docs/${page}.md`)
    assert.ok(en.includes(`(${page}.zh-CN.md)`), `docs/${page}.md links its translation`)
    assert.ok(zh.includes(`(${page}.md)`), `docs/${page}.zh-CN.md links the English page`)
    assert.ok(/[\u4e00-\u9fff]{200,}/.test(zh.replace(/[^\u4e00-\u9fff]/g, '')), `docs/${page}.zh-CN.md is written in Chinese`)
  }
  const adaptersZh = readFileSync(join(docs, 'adapters.zh-CN.md'), 'utf8')
  assert.equal(adaptersZh, withAdapterTable(adaptersZh), 'the adapter table of docs/adapters.zh-CN.md is out of date')
  const configurationZh = readFileSync(join(docs, 'configuration.zh-CN.md'), 'utf8')
  assert.equal(configurationZh, withGeneratedTable(configurationZh), 'the reference of docs/configuration.zh-CN.md is out of date')
})
