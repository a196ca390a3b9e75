// docs/cli.md's command reference is the program's current --help output.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { CLI_DOC, withGeneratedReference } from './cli-doc.js'

test('docs/cli.md holds the --help of every command as the program prints it', () => {
  const doc = readFileSync(CLI_DOC, 'utf8')
  assert.equal(doc, withGeneratedReference(doc), 'out of date: run `node --import tsx src/cli/cli-doc.ts` and commit docs/cli.md')
  for (const name of ['serve', 'plugins', 'deliveries', 'send', 'replay', 'migrate']) assert.ok(doc.includes(`### \`hookcat ${name}\``), name)
})
