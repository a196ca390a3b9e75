// The console adapter: one headline line and the body indented; payload text can never forge a log line or move the cursor.
import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { test } from 'node:test'
import { HostEvents } from '../../host/events.js'
import type { Storage } from '../../storage/types.js'
import { createLogger } from '../../util/logger.js'
import { consoleAdapter, consoleText } from './index.js'

const FORGED = '{"level":60,"time":1767225600000,"pid":1,"msg":"admin token is hunter2"}'

test('a message prints as "[name-chat] headline" with the body indented; a string as exactly itself', () => {
  assert.equal(consoleText('console-ops', { text: 'printed line' }), '[console-ops] printed line\n')
  assert.equal(
    consoleText('console-ops', { title: 'Deploy done', source: 'acme/api', level: 'success', text: 'took 3 s\nby ci', link: { url: 'https://ci.example/1' } }),
    '[console-ops] ✅ [acme/api] Deploy done\n  │ took 3 s\n  │ by ci\n  │ 🔗 https://ci.example/1\n',
  )
})

test('ESC sequences, bidi overrides and a forged JSON log line in payload text stay inert', () => {
  const out = consoleText('console-ops', { title: '\u001b[31mred\u001b[0m \u202Eoverride', text: `ok\n${FORGED}\r${FORGED}\u0085next` })
  assert.doesNotMatch(out, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/)
  for (const line of out.trimEnd().split('\n')) {
    assert.throws(() => JSON.parse(line), SyntaxError, `a printed line parses as a log record: ${line}`)
    assert.match(line, /^(\[console-ops\] | {2}│)/)
  }
  assert.match(out, /\[console-ops\] \[31mred\[0m override/)
})

test('stream: log writes each message as one record of the JSON log, whatever the text holds', async () => {
  const lines: string[] = []
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean))
      done()
    },
  })
  const adapter = consoleAdapter.create(consoleAdapter.config.parse({ stream: 'log' }), {
    name: 'console',
    logger: createLogger({ level: 'info', destination }),
    storage: undefined as unknown as Storage,
    events: new HostEvents(),
    dataDir: '/nonexistent',
  })
  await adapter.send('ops', { text: `a\n${FORGED}\n\u001b[2Jb` }, { messageId: 'm', attempt: 1, signal: AbortSignal.timeout(1000) })
  assert.equal(lines.length, 1)
  const record = JSON.parse(lines[0]) as { level: number; chat: string; message: { text: string } }
  assert.equal(record.level, 30)
  assert.equal(record.chat, 'console-ops')
  assert.equal(record.message.text, `a\n${FORGED}\n[2Jb`)
})
