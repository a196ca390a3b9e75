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
  for (const guide of ['getting-started', 'plugin-guide']) {
    const en = snippets(join(docs, `${guide}.md`)).map((s) => [s.lang, s.marker, s.code])
    const zh = snippets(join(docs, `${guide}.zh-CN.md`)).map((s) => [s.lang, s.marker, s.code])
    assert.deepEqual(zh, en, `docs/${guide}.zh-CN.md differs from docs/${guide}.md in its code blocks`)
  }
})
