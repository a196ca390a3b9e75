// Start-up checks of plugin configs (chat_keys against the configured adapters, unknown keys, each named by its path),
// and at run time one undeliverable chat never keeps a message from the other chats of the same event.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ConfigError } from '../../config/load.js'
import { definePlugin } from '../../index.js'
import { waitFor } from '../../testing/helpers.js'
import { createTestHost } from '../../testing/index.js'

const QQ = { qq: { type: 'onebot_v11', url: 'http://127.0.0.1:9' } }

test('a bad chat_key, an unknown adapter or a misspelt key in any plugin config stops the start, naming each path', async () => {
  const config = {
    adapters: QQ,
    plugins: {
      github: {
        config: {
          webhookSecret: 'gh-secret-value',
          notificationChats: 'qq-group_123456',
          routes: [
            { repository: 'acme/a', chats: ['qq-group_100001'] },
            { repository: 'acme/b', chats: ['qq-group_100002'] },
            { repository: 'acme/c', chats: ['qq-group_100003', 'nowhere-x'] },
          ],
        },
      },
      alertmanager: { config: { bearerToken: 'am-token-value', alertChat: 'qq-group_abc' } },
      relay: { config: { relays: [{ name: 'ci', token: 'relay-token-1', template: '{{ body.x }}', chats: ['test-ok', 'tg-group_1'] }] } },
    },
  }
  await assert.rejects(createTestHost({ builtins: true, config }), (error: unknown) => {
    assert.ok(error instanceof ConfigError, String(error))
    const text = error.message
    assert.match(text, /plugins\.github\.config\.routes\[2\]\.chats\[1\]: chat_key "nowhere-x" names adapter "nowhere", which is not configured/)
    assert.match(text, /plugins\.github\.config\.notificationChats: unknown key — did you mean "notificationChat"\?/)
    assert.match(text, /plugins\.alertmanager\.config\.alertChat: chat_key "qq-group_abc": a OneBot channel is group_<group number>/)
    assert.match(text, /plugins\.relay\.config\.relays\[0\]\.chats\[1\]: chat_key "tg-group_1" names adapter "tg"/)
    assert.doesNotMatch(text, /routes\[[01]\]|routes\[2\]\.chats\[0\]|relays\[0\]\.chats\[0\]/, 'good chat_keys are not reported')
    assert.doesNotMatch(text, /gh-secret-value|am-token-value|relay-token-1/, 'no secret in the message')
    return true
  })
})

test('a config whose chat_keys all resolve starts', async () => {
  const t = await createTestHost({
    builtins: true,
    config: { adapters: QQ, plugins: { github: { config: { webhookSecret: 'gh-secret-value', notificationChat: 'qq-group_123456', routes: [{ repository: 'a/b', chats: ['test-x', 'web-room'] }] } } } },
  })
  try {
    assert.equal(t.host.registry.lookup('github')?.state, 'loaded')
  } finally {
    await t.close()
  }
})

test('one chat that cannot be delivered to dead-letters alone; the event still reaches its other chats', async () => {
  const fan = definePlugin({
    name: 'fan',
    version: '1.0.0',
    setup(plugin) {
      plugin.mountWebhook('/out', async () => ({ sent: await plugin.sendAll(['test-one', 'nowhere-x', 'test-two'], 'to all') }), { public: true })
    },
  })
  // A route with one bad and one good chat, in a host that lets the plugin load regardless (a saved config, a reload…).
  const t = await createTestHost({
    builtins: true,
    plugins: [fan],
    strictConfig: false,
    config: { plugins: { github: { config: { webhookSecret: 'gh-secret-value', locale: 'en', routes: [{ repository: 'octo/*', chats: ['qq-group_100001', 'test-gh'] }] } } } },
  })
  try {
    assert.equal(t.host.registry.lookup('github')?.state, 'loaded')
    const answer = await t.webhook('fan', '/out', { method: 'POST', body: {} })
    assert.equal(answer.status, 200, answer.text)
    const sent = answer.json().sent as Array<{ id: string; dead?: string }>
    assert.equal(sent.length, 3)
    assert.match(sent[1].dead ?? '', /names adapter "nowhere"/)
    await waitFor(() => t.sent.all().filter((m) => m.chatKey === 'test-one').length === 1 && t.sent.all().filter((m) => m.chatKey === 'test-two').length === 1, 'both good chats')
    const dead = await t.host.storage.listMessages({ state: 'dead' })
    assert.deepEqual(dead.map((m) => m.chatKey), ['nowhere-x'])
    assert.match(dead[0].lastError ?? '', /not configured/)

    const push = await t.send.github('github', '/github', 'push', {
      ref: 'refs/heads/main',
      repository: { full_name: 'octo/cat', name: 'cat', owner: { login: 'octo' }, html_url: 'https://github.com/octo/cat' },
      sender: { login: 'mona' },
      commits: [{ id: 'abc1234', message: 'fix', author: { name: 'mona' }, url: 'https://github.com/octo/cat/commit/abc1234' }],
      compare: 'https://github.com/octo/cat/compare/a...b',
    }, { secret: 'gh-secret-value' })
    assert.ok(push.status < 300, push.text)
    await waitFor(() => t.sent.all().filter((m) => m.chatKey === 'test-gh').length === 1, 'the good chat of the route')
    await waitFor(async () => (await t.host.storage.listMessages({ state: 'dead' })).some((m) => m.chatKey === 'qq-group_100001'), 'the bad chat as a dead letter')
  } finally {
    await t.close()
  }
})
