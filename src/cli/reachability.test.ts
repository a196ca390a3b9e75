// Adapter reachability at start-up, through `hookcat serve`: OneBot get_login_info and Telegram getMe against loopback
// fakes, one adapter whose platform is down; the banner says which answer, /readyz lists them and stays ready.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { fakeOneBot } from '../../test/fakes/onebot.js'
import { fakeTelegram } from '../../test/fakes/telegram.js'
import type { FakePlatform } from '../../test/fakes/platform.js'
import { freePort, startServe, tempProject, type ServeProcess } from './test-fixtures/cli-process.js'

const TG_TOKEN = '123456:probe-test-token-abcdef'
let onebot: FakePlatform
let telegram: FakePlatform
let project: ReturnType<typeof tempProject>
let server: ServeProcess

before(async () => {
  onebot = fakeOneBot({ accessToken: 'onebot-access-token' })
  telegram = fakeTelegram(TG_TOKEN)
  const [qqUrl, tgUrl, closed] = [await onebot.start(), await telegram.start(), await freePort()]
  project = tempProject(
    [
      'server:',
      '  host: 127.0.0.1',
      '  port: 0',
      'adapters:',
      `  qq: { type: onebot_v11, url: "${qqUrl}", accessToken: onebot-access-token }`,
      `  tg: { type: telegram, token: "${TG_TOKEN}", apiBase: "${tgUrl}" }`,
      `  down: { type: onebot_v11, url: "http://127.0.0.1:${closed}" }`,
      '',
    ].join('\n'),
  )
  server = await startServe({ cwd: project.dir })
})

after(async () => {
  await server?.stop()
  await onebot?.close()
  await telegram?.close()
  project?.cleanup()
})

test('the banner says which adapters answered, who the bot is there, and which platform is down', async () => {
  const banner = server.stdout()
  assert.match(banner, /^ {2}qq \(onebot_v11\) +reachable — QQ 10001 \(hookcat bot\)$/m)
  assert.match(banner, /^ {2}tg \(telegram\) +reachable — @hookcat_test_bot$/m)
  assert.match(banner, /^ {2}down \(onebot_v11\) +UNREACHABLE — .+\(messages wait in the outbox and are retried\)$/m)
  assert.match(banner, /^ {2}console \(console\) +not checked$/m)
  assert.doesNotMatch(banner + server.stderr(), /probe-test-token|onebot-access-token/)
})

test('/readyz stays ready (it is about storage) and lists each adapter\'s reachability without details', async () => {
  const res = await fetch(`${server.url}/readyz`)
  assert.equal(res.status, 200)
  const body = (await res.json()) as { status: string; storage: string; adapters: Record<string, string> }
  assert.equal(body.status, 'ready')
  assert.deepEqual(body.adapters, { qq: 'reachable', tg: 'reachable', down: 'unreachable', console: 'not checked', web: 'not checked' })
})
