// Bad input on the command line: clear one-line errors and non-zero exits; every command's --help has examples.
import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { describe, test } from 'node:test'
import { buildProgram } from './program.js'
import { assertNoStack, freePort, runInProject } from './test-fixtures/cli-process.js'

describe('hookcat CLI: bad input', { concurrency: true }, () => {
  test('send without a running server says so and how to start one', async () => {
    const port = await freePort()
    const r = await runInProject(`server:\n  port: ${port}\n  adminToken: a-token-of-at-least-16-chars\n`, ['send', 'console-x', 'hi'])
    assert.equal(r.code, 1)
    assert.match(r.stderr, new RegExp(`^hookcat: hookcat is not running at http://127\\.0\\.0\\.1:${port} .*Start it with: hookcat serve`))
    assert.ok(!r.stderr.includes('a-token-of-at-least-16-chars'))
  })

  test('send where no server ever ran says that no admin token exists', async () => {
    const r = await runInProject(undefined, ['send', 'console-x', 'hi'])
    assert.equal(r.code, 1)
    assert.match(r.stderr, /no admin token.*hookcat serve/)
  })

  test('send with a bad chat_key fails with one line and no stack', async () => {
    const r = await runInProject(undefined, ['send', 'nodash', 'text'])
    assert.equal(r.code, 1)
    assert.match(r.stderr, /^hookcat: chat_key "nodash" must look like <adapter>-<channel>/)
    assertNoStack(r.stderr)
  })

  test('unknown command, missing argument and bad option values: one-line errors, non-zero exit', async () => {
    const unknown = await runInProject(undefined, ['bogus'])
    assert.notEqual(unknown.code, 0)
    assert.match(unknown.stderr, /unknown command 'bogus'/)
    const missing = await runInProject(undefined, ['send'])
    assert.notEqual(missing.code, 0)
    assert.match(missing.stderr, /missing required argument 'chat_key'/)
    const port = await runInProject(undefined, ['serve', '--port', 'x'])
    assert.notEqual(port.code, 0)
    assert.match(port.stderr, /--port <n>.*must be a port number/)
    for (const r of [unknown, missing, port]) assertNoStack(r.stderr)
  })

  test('serve on a port in use says so in one line', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = blocker.address() as { port: number }
      const r = await runInProject('server:\n  host: 127.0.0.1\n', ['serve', '--port', String(port)])
      assert.equal(r.code, 1)
      assert.match(r.stderr, new RegExp(`^hookcat: port ${port} on 127\\.0\\.0\\.1 is already in use`))
      assertNoStack(r.stderr)
    } finally {
      blocker.close()
    }
  })

  test('every command has --help with examples', () => {
    const program = buildProgram()
    for (const name of ['serve', 'plugins', 'deliveries', 'send', 'replay', 'migrate']) {
      const command = program.commands.find((c) => c.name() === name)
      assert.ok(command, `${name} is registered`)
      let help = ''
      command.configureOutput({ writeOut: (text) => (help += text) })
      command.outputHelp()
      assert.match(help, new RegExp(`Usage: hookcat ${name}`))
      assert.match(help, /Examples:/, name)
    }
  })
})
