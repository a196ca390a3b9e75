// Issue 13.10: uploads have a quota per chat and in all (507 with a clear message when full), counted from the disk after a restart.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTestHost, type TestHost } from '../../testing/index.js'

const TOKEN = 'upload-quota-token-77'
const config = { plugins: { upload: { config: { token: TOKEN, maxChatBytes: 1000, maxTotalBytes: 1800 } } } }

function upload(t: TestHost, chatKey: string, bytes: number) {
  const form = new FormData()
  form.set('file', new File([new Uint8Array(bytes).fill(65)], 'a.bin', { type: 'application/octet-stream' }))
  form.set('chat_key', chatKey)
  return t.webhook('upload', '/upload', { body: form, headers: { authorization: `Bearer ${TOKEN}` } })
}

test('a chat quota and a total quota refuse with 507 once full, and hold across a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookcat-quota-'))
  try {
    const first = await createTestHost({ builtins: true, config, dir })
    try {
      assert.equal((await upload(first, 'test-a', 600)).status, 200)
      const full = await upload(first, 'test-a', 600)
      assert.equal(full.status, 507, full.text)
      assert.equal(full.json().error.code, 'INSUFFICIENT_STORAGE')
      assert.match(full.json().error.message, /chat's uploads would exceed their quota of 1000 bytes \(600 used\)/)
      assert.equal(full.json().error.details.quota, 'maxChatBytes')
      assert.equal((await upload(first, 'test-b', 600)).status, 200)
      const total = await upload(first, 'test-c', 700)
      assert.equal(total.status, 507)
      assert.equal(total.json().error.details.quota, 'maxTotalBytes')
      assert.equal((await upload(first, 'test-c', 500)).status, 200)
    } finally {
      await first.close()
    }
    // A restart counts what is on disk: 1,700 bytes in three chats.
    const second = await createTestHost({ builtins: true, config, dir })
    try {
      assert.equal((await upload(second, 'test-a', 600)).status, 507)
      assert.equal((await upload(second, 'test-d', 200)).json().error.details.quota, 'maxTotalBytes')
      assert.equal((await upload(second, 'test-d', 100)).status, 200)
    } finally {
      await second.close()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
