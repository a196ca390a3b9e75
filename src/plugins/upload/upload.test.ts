// Upload: stored under uploads/<chat>/<clean name> whatever the client sends; traversal names never write outside uploads/.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { createTestHost } from '../../testing/index.js'
import { chatFolder, sanitizeFileName } from './sanitize.js'

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name)
    return statSync(full).isDirectory() ? walk(full) : [full]
  })
}

test('sanitizeFileName keeps one plain name for any input', () => {
  const cases: Array<[unknown, string]> = [
    ['../../x', 'x'],
    ['..\\x', 'x'],
    ['/etc/passwd', 'passwd'],
    ['C:\\Windows\\win.ini', 'win.ini'],
    ['a\u0000b.txt', 'ab.txt'],
    ['..', 'file'],
    ['.bashrc', 'bashrc'],
    ['CON.txt', '_CON.txt'],
    ['', 'file'],
    [undefined, 'file'],
    ['re:port?.pdf', 're_port_.pdf'],
  ]
  for (const [input, expected] of cases) assert.equal(sanitizeFileName(input), expected, String(input))
  const long = sanitizeFileName(`${'名'.repeat(10_000)}.txt`)
  assert.ok(Buffer.byteLength(long) <= 200 && long.endsWith('.txt'), long)
  assert.notEqual(chatFolder('a/b'), chatFolder('a_b'))
  assert.equal(chatFolder('onebot_v11-group_1'), 'onebot_v11-group_1')
})

test('uploads with traversal names land inside uploads/ only, with a hash, collisions renamed, limits enforced', async () => {
  const t = await createTestHost({
    builtins: true,
    config: { plugins: { upload: { config: { token: 'upload-token-1234', maxBytes: 64 * 1024, forwardToChat: true, allowedTypes: ['.txt', '.png', 'text/plain'] } } } },
  })
  try {
    const send = (name: string, content: string | Uint8Array, chatKey = 'test-files', type = 'text/plain') => {
      const form = new FormData()
      form.set('file', new File([content], name, { type }))
      form.set('chat_key', chatKey)
      return t.webhook('upload', '/upload', { body: form, headers: { authorization: 'Bearer upload-token-1234' } })
    }
    const evil = ['../../x.txt', '..\\x.txt', '/etc/passwd.txt', 'C:\\evil.txt', 'nul\u0000byte.txt', `${'a'.repeat(10_000)}.txt`, '....//....//y.txt', '..']
    for (const name of evil) {
      const r = await send(name, `content of ${name.slice(0, 20)}`, 'test-files', 'text/plain')
      assert.equal(r.status, 200, `${name.slice(0, 30)}: ${r.text}`)
      const body = r.json()
      assert.ok(!/[/\\\u0000]/.test(body.filename) && !body.filename.startsWith('.'), body.filename)
      assert.equal(body.sha256, createHash('sha256').update(`content of ${name.slice(0, 20)}`).digest('hex'))
    }
    // A traversal in chat_key does not escape either.
    assert.equal((await send('z.txt', 'z', '../../test-x')).status, 400)
    const dataDir = join(t.dir, 'data', 'plugins', 'upload')
    const files = walk(join(t.dir, 'data')).filter((f) => !f.endsWith('.db') && !f.includes('hookcat.db') && !f.includes('admin'))
    for (const f of files) {
      const rel = relative(join(dataDir, 'uploads'), f)
      assert.ok(!rel.startsWith('..') && rel.split(/[/\\]/).length === 2, `outside uploads/<chat>/: ${f}`)
    }
    assert.equal(walk(join(dataDir, 'uploads')).length, evil.length)
    // Same name twice: the second is renamed, the first kept.
    const a = (await send('same.txt', 'one')).json()
    const b = (await send('same.txt', 'two')).json()
    assert.equal(a.filename, 'same.txt')
    assert.equal(b.filename, 'same-1.txt')
    assert.equal(readFileSync(join(dataDir, 'uploads', 'test-files', 'same.txt'), 'utf8'), 'one')
    // Limits: size, type, missing fields, token.
    assert.equal((await send('big.txt', new Uint8Array(65 * 1024))).status, 413)
    assert.equal((await send('x.exe', 'MZ', 'test-files', 'application/octet-stream')).status, 415)
    const noFile = new FormData()
    noFile.set('chat_key', 'test-files')
    const missing = await t.webhook('upload', '/upload', { body: noFile, headers: { authorization: 'Bearer upload-token-1234' } })
    assert.equal(missing.status, 400)
    assert.match(missing.text, /file is required/)
    assert.equal((await t.webhook('upload', '/upload', { body: new FormData() })).status, 401)
    // forwardToChat: the chat gets the file as an attachment.
    const forwarded = await t.sent.next()
    assert.equal(forwarded.chatKey, 'test-files')
    assert.match(forwarded.message.files?.[0]?.path ?? '', /^uploads\/test-files\//)
  } finally {
    await t.close()
  }
})
