// Telegram updates by webhook against the fake Bot API: setWebhook with secret_token, /cmd@bot commands, refusals, dedup.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { createTestHost } from '../../testing/index.js'
import { waitFor } from '../../testing/helpers.js'
import { FakePlatform } from '../../../test/fakes/platform.js'
import { groupUpdate, postUpdate, telegramSpec } from '../../../test/fakes/telegram.js'

const TOKEN = '123456:ABC-two-way'
const SECRET = 'tg-webhook-secret-0123456789'
const GH = 'gh-secret-tg'
const CHAT = -1001234567890

test('Telegram: setWebhook with secret_token; an admin subscribes with /hookcat@bot, a member is refused, updates without the token are refused and logged, a redelivered update runs once', async () => {
  const spec = telegramSpec(TOKEN)
  spec.members.set(`${CHAT}:501`, 'administrator')
  spec.members.set(`${CHAT}:502`, 'member')
  const fake = new FakePlatform(spec)
  const apiBase = await fake.start()
  const t = await createTestHost({
    builtins: true,
    config: {
      adapters: { tg: { type: 'telegram', token: TOKEN, apiBase, webhookSecret: SECRET, username: 'hookcat_bot' } },
      outbox: { backoffBase: 100, backoffMax: 500 },
      plugins: { github: { config: { webhookSecret: GH, locale: 'en' } } },
    } as never,
  })
  const hook = `${t.url}/telegram/tg/webhook`
  const texts = () => fake.accepted.filter((r) => r.json?.chat_id === String(CHAT) || r.json?.chat_id === CHAT).map((r) => ({ text: String(r.json.text), reply: r.json.reply_parameters }))
  try {
    await waitFor(() => spec.webhooks[0], 'setWebhook')
    assert.deepEqual(spec.webhooks[0], { url: hook, secret_token: SECRET, allowed_updates: ['message'] })

    const subscribe = groupUpdate({ updateId: 1, chatId: CHAT, userId: 501, messageId: 11, text: '/hookcat@hookcat_bot subscribe github acme/api' })
    assert.equal(await postUpdate(hook, subscribe), 401)
    assert.equal(await postUpdate(hook, subscribe, 'wrong-secret-token-000000'), 401)
    assert.ok(t.logs.some((l) => l.msg === 'Telegram update refused' && l.reason === 'wrong secret token'))
    assert.equal(await postUpdate(hook, 'not json', SECRET), 400)
    assert.equal(await postUpdate(hook, { update_id: 9, edited_message: {} }, SECRET), 200)

    assert.equal(await postUpdate(hook, groupUpdate({ updateId: 2, chatId: CHAT, userId: 502, messageId: 12, text: '/hookcat subscribe github acme/api' }), SECRET), 200)
    const refusal = await waitFor(() => texts()[0], 'the refusal')
    assert.match(refusal.text, /only the group owner/)
    assert.deepEqual(refusal.reply, { message_id: 12, allow_sending_without_reply: true })

    assert.equal(await postUpdate(hook, subscribe, SECRET), 200)
    assert.equal(await postUpdate(hook, subscribe, SECRET), 200, 'Telegram redelivers an update it is unsure of')
    const ok = await waitFor(() => texts()[1], 'the subscribe answer')
    assert.match(ok.text, /Subscribed to github acme\/api/)
    assert.ok(!ok.text.includes(GH))
    // A command for another bot is not ours.
    assert.equal(await postUpdate(hook, groupUpdate({ updateId: 3, chatId: CHAT, userId: 501, messageId: 13, text: '/hookcat@other_bot list' }), SECRET), 200)

    const push = JSON.parse(readFileSync(fileURLToPath(new URL('../../../test/fixtures/senders/github/push.json', import.meta.url)), 'utf8'))
    push.repository = { ...push.repository, full_name: 'acme/api', name: 'api', owner: { ...push.repository.owner, login: 'acme' } }
    assert.equal((await t.send.github('github', '/github', 'push', push, { secret: GH })).status, 202)
    await waitFor(() => texts().slice(2).find((m) => /acme\/api/.test(m.text)), 'the push in the group')
    assert.equal(texts().filter((m) => /Subscribed to/.test(m.text)).length, 1, 'the redelivered update ran once')
    assert.equal(texts().filter((m) => /receives/.test(m.text)).length, 0, 'the command for another bot ran nothing')
  } finally {
    await t.close()
    await fake.close()
  }
})
