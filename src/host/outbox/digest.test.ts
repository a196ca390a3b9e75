// Digests for bursts, quiet hours and mutes on a test host: real HTTP to a fake OneBot, the storage records, the injected clock.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fakeOneBot } from '../../../test/fakes/onebot.js'
import { dropSchema, freshSchemaUrl } from '../../../test/support/postgres.js'
import { createClock, createTestHost } from '../../testing/index.js'
import type { Message } from '../messages.js'

const CHAT = 'qq-group_123456'
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function until(check: () => boolean | Promise<boolean>, what: string, rounds = 400): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    if (await check()) return
    await sleep(25)
  }
  assert.fail(`timed out waiting for ${what}`)
}

const event = (n: number, extra: Partial<Message> = {}): Message => ({
  title: `deploy ${String(n).padStart(2, '0')}`,
  source: 'acme/api',
  level: 'info',
  text: `detail ${n}`,
  link: { url: `https://ci.example.com/run/${n % 3}` },
  ...extra,
})

for (const backend of ['sqlite', 'postgres'] as const) {
  test(`${backend}: a burst to a rate-limited QQ group goes out as a few digests that name every event once, in order; members record their digest`, async () => {
    const fake = fakeOneBot()
    const url = await fake.start()
    // On PostgreSQL the outbox runs under the cluster leases: the chat's dispatcher (this process, holding its lease) folds.
    const pg = backend === 'postgres' ? freshSchemaUrl() : undefined
    const t = await createTestHost({
      config: {
        ...(pg ? { storage: pg.url } : {}),
        adapters: { qq: { type: 'onebot_v11', url, rateLimit: { perChat: { count: 1, interval: 1000 } } } },
        outbox: { chats: { qq: { digest: { after: 5, max: 20 } } } },
      },
    })
    try {
      const rows = Array.from({ length: 50 }, (_, n) => t.host.outbox.prepare(CHAT, event(n)))
      await t.host.outbox.store(rows)
      await until(async () => (await t.host.storage.outboxCounts()).pending === 0, 'the burst to be sent')
      const texts = fake.texts()
      assert.ok(texts.length <= 5, `a handful of messages, got ${texts.length}`)
      const named = texts.flatMap((text) => [...text.matchAll(/deploy (\d\d)/g)].map((m) => Number(m[1])))
      assert.deepEqual(
        named,
        Array.from({ length: 50 }, (_, n) => n),
        'every event once, in order',
      )
      const digests = texts.filter((text) => /条消息合并/.test(text))
      assert.ok(digests.length >= 2, 'the burst became digests with the zh-CN headline')
      // Each URL once per digest.
      for (const text of digests) {
        const urls = [...text.matchAll(/https:\/\/ci\.example\.com\/run\/\d/g)].map((m) => m[0])
        assert.equal(urls.length, new Set(urls).size, `no URL twice in ${text}`)
      }
      const members = await t.host.storage.listMessages({ state: 'carried', limit: 100 })
      assert.ok(members.length >= 40)
      for (const member of members) {
        const digest = await t.host.storage.getMessage(member.carriedBy!)
        assert.equal(digest?.state, 'delivered')
        assert.ok((await t.host.storage.digestMembers(digest!.id)).some((m) => m.id === member.id))
      }
      const counts = await t.host.storage.outboxCounts()
      assert.equal(counts.delivered + counts.carried, 50 + digests.length)
    } finally {
      await t.close()
      await fake.close()
      if (pg) await dropSchema(pg.schema)
    }
  })
}

test('quiet hours hold messages (critical ones pass) and release them as one digest when quiet ends, on the injected clock', async () => {
  const fake = fakeOneBot()
  const url = await fake.start()
  const clock = createClock({ start: Date.UTC(2026, 0, 5, 23, 30) })
  const t = await createTestHost({
    clock,
    config: {
      adapters: { qq: { type: 'onebot_v11', url } },
      outbox: { chats: { [CHAT]: { quiet: { from: '23:00', to: '08:00', timeZone: 'UTC', except: ['critical'] }, locale: 'en' } } },
    },
  })
  try {
    await t.host.outbox.store([
      t.host.outbox.prepare(CHAT, event(1)),
      t.host.outbox.prepare(CHAT, event(2, { level: 'critical', title: 'db down' })),
      t.host.outbox.prepare(CHAT, event(3)),
    ])
    await until(() => fake.texts().length === 1, 'the critical message')
    assert.match(fake.texts()[0], /db down/)
    await clock.advance(60 * 60_000)
    await sleep(200)
    assert.equal(fake.texts().length, 1, 'still quiet at 00:30: nothing else goes out')
    assert.equal((await t.host.storage.outboxCounts()).pending, 2, 'held, not dropped')
    await clock.set(Date.UTC(2026, 0, 6, 8, 0, 1))
    await until(() => fake.texts().length === 2, 'the release digest')
    const digest = fake.texts()[1]
    assert.match(digest, /2 messages/)
    assert.ok(digest.indexOf('deploy 01') < digest.indexOf('deploy 03'))
  } finally {
    await t.close()
    await fake.close()
  }
})

test('a mute from the admin API holds a chat with its count shown, refuses bad input, and unmuting sends what it held as a digest', async () => {
  const fake = fakeOneBot()
  const url = await fake.start()
  const t = await createTestHost({ config: { adapters: { qq: { type: 'onebot_v11', url } } } })
  try {
    const bad = await t.admin('/api/admin/mutes', { method: 'POST', json: { chatKey: CHAT, duration: 'soon' } })
    assert.equal(bad.status, 400)
    assert.equal(bad.json().error.code, 'VALIDATION_FAILED')
    assert.equal((await t.admin('/api/admin/mutes', { method: 'POST', json: { chatKey: 'nope-x', duration: '2h' } })).status, 400)
    const muted = await t.admin('/api/admin/mutes', { method: 'POST', json: { chatKey: CHAT, duration: '2h' } })
    assert.equal(muted.status, 200)
    await t.host.outbox.store([1, 2, 3].map((n) => t.host.outbox.prepare(CHAT, event(n))))
    await sleep(200)
    assert.equal(fake.texts().length, 0)
    const list = (await t.admin('/api/admin/mutes')).json() as { mutes: Array<{ chatKey: string; held: number; until: number }> }
    assert.equal(list.mutes.length, 1)
    assert.equal(list.mutes[0].held, 3)
    assert.equal((await t.admin(`/api/admin/mutes/${CHAT}`, { method: 'DELETE' })).status, 200)
    await until(() => fake.texts().length === 1, 'the digest of what the mute held')
    assert.match(fake.texts()[0], /3 条消息合并/)
    assert.equal((await t.admin(`/api/admin/mutes/${CHAT}`, { method: 'DELETE' })).status, 404)
  } finally {
    await t.close()
    await fake.close()
  }
})

test('answers to chat commands pass a mute and quiet hours and are never carried by a digest; a plugin cannot mark its own message as one', async () => {
  const fake = fakeOneBot()
  const url = await fake.start()
  const clock = createClock({ start: Date.UTC(2026, 0, 5, 23, 30) })
  const t = await createTestHost({
    clock,
    config: { adapters: { qq: { type: 'onebot_v11', url } }, outbox: { chats: { [CHAT]: { quiet: { from: '23:00', to: '08:00', timeZone: 'UTC', except: [] }, locale: 'en' } } } },
  })
  try {
    const forged = t.host.outbox.prepare(CHAT, { ...event(9), answer: true })
    assert.equal((forged.message as Message).answer, undefined, 'plugin.send() drops the mark')
    assert.ok(!forged.messageJson!.includes('answer'))
    await t.host.outbox.store([forged, t.host.outbox.prepare(CHAT, event(1)), t.host.outbox.prepare(CHAT, { text: 'the answer to /hookcat status' }, {}, { answer: true })])
    await until(() => fake.texts().length === 1, 'the answer during quiet hours')
    assert.equal(fake.texts()[0], 'the answer to /hookcat status')
    await t.host.outbox.muteFor(CHAT, 12 * 3600_000)
    await t.host.outbox.store([t.host.outbox.prepare(CHAT, event(2)), t.host.outbox.prepare(CHAT, 'muted answer', {}, { answer: true }), t.host.outbox.prepare(CHAT, event(3))])
    await until(() => fake.texts().length === 2, 'the answer during the mute')
    assert.equal(fake.texts()[1], 'muted answer')
    await sleep(200)
    assert.equal(fake.texts().length, 2, 'the notifications are still held')
    assert.equal((await t.host.storage.outboxCounts()).pending, 4)
    // Quiet hours end at 08:00 but the mute holds until 11:30; unmuting releases the four as one digest.
    await clock.set(Date.UTC(2026, 0, 6, 8, 0, 1))
    await sleep(200)
    assert.equal(fake.texts().length, 2, 'the mute still holds after quiet hours')
    assert.equal(await t.host.outbox.unmute(CHAT), true)
    await until(() => fake.texts().length === 3, 'the release digest')
    assert.match(fake.texts()[2], /4 messages/)
    for (const n of [9, 1, 2, 3]) assert.ok(fake.texts()[2].includes(`deploy 0${n}`), `the digest names event ${n}`)
    assert.ok(!fake.texts()[2].includes('answer'), 'no answer is carried')
  } finally {
    await t.close()
    await fake.close()
  }
})
