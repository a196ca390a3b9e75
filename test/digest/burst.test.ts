// `hookcat serve` as a child process on SQLite: 50 GitHub pushes to one QQ group arrive as a few digests across a SIGKILL, and mute/unmute through the CLI.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { freePort, REPO, runCli, startServe, tempProject, type ServeProcess } from '../../src/cli/test-fixtures/cli-process.js'
import { signGithub } from '../../src/testing/index.js'
import { fakeOneBot } from '../fakes/onebot.js'

const SECRET = 'digest-burst-secret-0001'
const CHAT = 'qq-group_123456'
const PUSH = JSON.parse(readFileSync(join(REPO, 'test/fixtures/senders/github/push.json'), 'utf8'))
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Branch numbers named by the messages the platform got, in the order they arrived (a repeat shows as a repeat). */
const named = (texts: string[]): number[] => texts.flatMap((t) => [...t.matchAll(/burst-(\d\d)/g)].map((m) => Number(m[1])))

async function push(url: string, n: number): Promise<void> {
  const payload = { ...PUSH, ref: `refs/heads/burst-${String(n).padStart(2, '0')}` }
  const signed = signGithub('push', payload, { secret: SECRET, deliveryId: `burst-delivery-${n}` })
  for (let attempt = 0; attempt < 50; attempt++) {
    const res = await fetch(`${url}/api/plugin/github/webhook/github`, { method: 'POST', headers: signed.headers, body: signed.body }).catch(() => undefined)
    if (res && (res.status === 202 || res.status === 200)) return
    await sleep(100)
  }
  assert.fail(`push ${n} was not acknowledged`)
}

test('50 pushes to one QQ group arrive as a handful of digests naming all 50 once, in order, across a SIGKILL; mute and unmute through the CLI', { timeout: 240_000 }, async () => {
  const fake = fakeOneBot()
  const platform = await fake.start()
  const port = await freePort()
  const project = tempProject(`server:
  host: 127.0.0.1
  port: ${port}
  adminToken: digest-burst-admin-token-01
log:
  level: warn
adapters:
  qq:
    type: onebot_v11
    url: ${platform}
    rateLimit:
      perChat: { count: 1, interval: 1000 }
plugins:
  github:
    config:
      webhookSecret: ${SECRET}
      notificationChat: ${CHAT}
`)
  let server: ServeProcess | undefined
  try {
    server = await startServe({ cwd: project.dir })
    for (let n = 0; n < 50; n++) await push(server.url, n)
    // Killed between two paced sends (1 per second), with digests of the rest stored and not yet sent.
    for (let i = 0; i < 600 && fake.accepted.length < 2; i++) await sleep(50)
    assert.ok(fake.accepted.length >= 2, 'the first sends went out')
    await sleep(300)
    server.child.kill('SIGKILL')
    await new Promise((r) => server!.child.once('close', r))
    const beforeKill = fake.accepted.length

    server = await startServe({ cwd: project.dir })
    for (let i = 0; i < 1200 && new Set(named(fake.texts())).size < 50; i++) await sleep(50)
    const texts = fake.texts()
    assert.deepEqual(named(texts), Array.from({ length: 50 }, (_, n) => n), 'all 50 named once each, in order')
    assert.ok(texts.length <= 8, `a handful of messages, got ${texts.length} (${beforeKill} before the kill)`)
    assert.ok(texts.some((t) => /\d+ 条消息合并/.test(t)), 'digests with the zh-CN headline')

    const mute = await runCli(['mute', CHAT, '2h'], { cwd: project.dir })
    assert.equal(mute.code, 0, mute.stderr)
    assert.match(mute.stdout, /^muted qq-group_123456 until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/)
    const bad = await runCli(['mute', CHAT, 'soon'], { cwd: project.dir })
    assert.notEqual(bad.code, 0)
    assert.match(bad.stderr, /not a duration/)
    const sent = fake.accepted.length
    for (const n of [60, 61]) await push(server.url, n)
    for (let i = 0; i < 100; i++) {
      const list = await runCli(['mute', '--json'], { cwd: project.dir })
      if ((JSON.parse(list.stdout) as Array<{ held: number }>)[0]?.held === 2) break
      await sleep(100)
    }
    const table = await runCli(['mute'], { cwd: project.dir })
    assert.match(table.stdout, /qq-group_123456 +\S+ \S+ UTC +2\b/)
    const outbox = await runCli(['outbox', 'list', '--state', 'pending'], { cwd: project.dir })
    assert.match(outbox.stdout, /^muted: qq-group_123456 until \S+ \S+ UTC, 2 held$/m)
    assert.equal(fake.accepted.length, sent, 'nothing reaches a muted chat')
    const unmute = await runCli(['unmute', CHAT], { cwd: project.dir })
    assert.equal(unmute.code, 0, unmute.stderr)
    for (let i = 0; i < 200 && fake.accepted.length === sent; i++) await sleep(50)
    const released = fake.texts().slice(sent)
    assert.equal(released.length, 1)
    assert.match(released[0], /2 条消息合并/)
    assert.deepEqual(named(released), [60, 61])
  } finally {
    if (server && server.child.exitCode === null) server.child.kill('SIGKILL')
    await fake.close()
    project.cleanup()
  }
})
