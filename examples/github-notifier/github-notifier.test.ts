// The example plugin's test, written against the public test kit only ('hookcat/testing').
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestHost, pluginConfig } from 'hookcat/testing'
import { definePlugin } from 'hookcat'
import githubNotifier from './index.js'

const config = { plugins: pluginConfig(githubNotifier, { webhookSecret: 'it-is-a-secret', notificationChat: 'test-dev' }) }

const push = {
  ref: 'refs/heads/main',
  repository: { full_name: 'octo/hello' },
  pusher: { name: 'octocat' },
  commits: [1, 2, 3, 4].map((n) => ({ message: `commit ${n}\n\nbody`, author: { name: 'octocat' } })),
}

test('a signed push becomes one chat message in the configured chat', async () => {
  const t = await createTestHost({ plugins: [githubNotifier], config })
  try {
    const res = await t.send.github('github-notifier', '/github', 'push', push, { secret: 'it-is-a-secret' })
    assert.equal(res.status, 202, res.text)
    const message = await t.sent.next()
    assert.equal(message.chatKey, 'test-dev')
    assert.match(message.message.text ?? '', /Repository: octo\/hello/)
    assert.match(message.message.text ?? '', /…and 1 more/)
  } finally {
    await t.close()
  }
})

test('a wrong signature is refused and nothing is sent', async () => {
  const t = await createTestHost({ plugins: [githubNotifier], config })
  try {
    const res = await t.send.github('github-notifier', '/github', 'push', push, { secret: 'not-the-secret' })
    assert.equal(res.status, 401)
    assert.deepEqual(t.sent.all(), [])
  } finally {
    await t.close()
  }
})

test('a published release is passed on to other plugins as an event', async () => {
  const seen: unknown[] = []
  const listener = definePlugin({
    name: 'release-listener',
    version: '1.0.0',
    setup(plugin) {
      plugin.on('github-notifier:release.published', (data) => void seen.push(data))
    },
  })
  const t = await createTestHost({ plugins: [githubNotifier, listener], config })
  try {
    const release = { action: 'published', repository: { full_name: 'octo/hello' }, release: { tag_name: 'v2.0.0' } }
    const res = await t.send.github('github-notifier', '/github', 'release', release, { secret: 'it-is-a-secret' })
    await t.settled(res.json().id)
    assert.deepEqual(seen, [{ repository: 'octo/hello', tag: 'v2.0.0' }])
  } finally {
    await t.close()
  }
})
