// Template previews over the admin API equal what the fake platforms then receive from the real server for the same event.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { fakeOneBot } from '../../test/fakes/onebot.js'
import { fakeTelegram } from '../../test/fakes/telegram.js'
import { createTestHost } from '../testing/index.js'
import { waitFor } from '../testing/helpers.js'

const TOKEN = '123456:preview-test-token'
const SECRET = 'preview-github-secret'
const push = JSON.parse(readFileSync(new URL('../../test/fixtures/senders/github/push.json', import.meta.url), 'utf8'))

const routeTemplate = {
  title: '{{ actor }} → {{ branch }} · {{ payload.commits | size }} commits',
  text: '{{ default.text }}\n{% if payload.forced %}forced!{% else %}<b>not</b> forced{% endif %}',
  fields: 'Pusher: {{ payload.pusher.name }}\nRef: {{ payload.ref }}',
}

type Preview = { template: string | null; message: any; platforms: Array<{ adapter: string; parts: any[] }> }

test('a preview equals what the fake platforms receive for the same event through the real server; edits preview before they are saved', async () => {
  const telegram = fakeTelegram(TOKEN)
  const onebot = fakeOneBot()
  const [apiBase, onebotUrl] = await Promise.all([telegram.start(), onebot.start()])
  const t = await createTestHost({
    builtins: true,
    config: {
      adapters: { tg: { type: 'telegram', token: TOKEN, apiBase }, qq: { type: 'onebot_v11', url: onebotUrl } },
      plugins: {
        github: {
          enabled: true,
          config: {
            webhookSecret: SECRET,
            locale: 'en',
            notificationChat: 'test-other',
            template: { title: 'plugin-wide: {{ default.title }}' },
            routes: [
              { repository: 'Codertocat/*', chats: ['tg-group_-1001234567890', 'qq-group_123456'], template: routeTemplate },
              { organization: 'Codertocat', chats: ['test-other'] },
            ],
          },
        },
      },
    },
  })
  try {
    const answer = await t.admin('/api/admin/plugins/github/preview', { method: 'POST', json: { event: 'push', route: 0, adapter: ['telegram', 'onebot_v11'] } })
    assert.equal(answer.status, 200, answer.text)
    const preview = answer.json() as Preview
    assert.equal(preview.template, 'routes[0].template')
    assert.match(preview.message.title, /^Codertocat → simple-tag · \d+ commits$/)
    assert.deepEqual(preview.message.fields.map((f: { name: string }) => f.name), ['Pusher', 'Ref'])

    const sent = await t.send.github('github', '/github', 'push', push, { secret: SECRET })
    assert.equal(sent.status, 202, sent.text)
    await waitFor(() => telegram.accepted.length === 1 && onebot.accepted.length === 1, 'both platforms received the push')

    const [tgPart] = preview.platforms.find((p) => p.adapter === 'telegram')!.parts
    const tgBody = telegram.accepted[0]!.json
    assert.equal(tgBody.text, tgPart.text, 'Telegram receives the previewed text byte for byte')
    assert.equal(tgBody.parse_mode, tgPart.parse_mode)
    // Template output is payload text: the <b> of the template reaches Telegram escaped, never as markup.
    assert.match(tgBody.text, /&lt;b&gt;not&lt;\/b&gt; forced/)
    const [qqPart] = preview.platforms.find((p) => p.adapter === 'onebot_v11')!.parts
    assert.deepEqual(onebot.accepted[0]!.json.message, qqPart.params.message, 'OneBot receives the previewed segments')

    // A route without a template of its own gets the plugin-wide one, and the preview without a route shows that one.
    const other = await waitFor(() => t.sent.all().find((m) => m.chatKey === 'test-other'), 'the second route got the push')
    const plain = (await t.admin('/api/admin/plugins/github/preview', { method: 'POST', json: { event: 'push', adapter: 'console' } })).json() as Preview
    assert.equal(plain.template, 'template')
    assert.equal(other.message.title, plain.message.title)
    assert.match(plain.message.title, /^plugin-wide: /)

    // An edit not yet saved previews too; a mistake in it is a 400 that names its path, and nothing is saved.
    const edited = (await t.admin('/api/admin/plugins/github/preview', { method: 'POST', json: { event: 'push', config: { template: '{{ repository }} only' }, adapter: 'console' } })).json() as Preview
    assert.equal(edited.message.text, 'Codertocat/Hello-World only')
    const bad = await t.admin('/api/admin/plugins/github/preview', { method: 'POST', json: { event: 'push', config: { template: { title: '{{ reviewer }}' } } } })
    assert.equal(bad.status, 400)
    assert.match(bad.json().error.message, /plugins\.github\.config\.template\.title: unknown variable "reviewer"/)
    const broken = await t.admin('/api/admin/plugins/github/preview', { method: 'POST', json: { event: 'push', config: { routes: [{ repository: 'a/b', chats: ['test-x'], template: '{% if %}' }] } } })
    assert.equal(broken.status, 400)
    assert.match(broken.json().error.message, /plugins\.github\.config\.routes\[0\]\.template: the template does not parse/)
    const saved = (await t.admin('/api/admin/plugins/github/config')).json()
    assert.deepEqual(saved.config.template, { title: 'plugin-wide: {{ default.title }}' })
  } finally {
    await t.close()
    await Promise.all([telegram.close(), onebot.close()])
  }
})

test('preview input errors are clear 400s: an unknown sample lists the samples, an unknown adapter the types; unknown plugin 404', async () => {
  const t = await createTestHost({ builtins: true })
  try {
    const sample = await t.admin('/api/admin/plugins/alertmanager/preview', { method: 'POST', json: { event: 'nope' } })
    assert.equal(sample.status, 400)
    assert.match(sample.json().error.message, /samples: .*firing/)
    const adapter = await t.admin('/api/admin/plugins/alertmanager/preview', { method: 'POST', json: { event: 'firing', adapter: 'pager' } })
    assert.equal(adapter.status, 400)
    assert.match(adapter.json().error.message, /unknown adapter type "pager"/)
    const relay = await t.admin('/api/admin/plugins/relay/preview', { method: 'POST', json: { event: 'push' } })
    assert.equal(relay.status, 400)
    assert.equal((await t.admin('/api/admin/plugins/nope/preview', { method: 'POST', json: { event: 'push' } })).status, 404)
    const samples = (await t.admin('/api/admin/plugins/grafana/samples')).json()
    assert.ok(samples.samples.includes('firing'))
    // Every bundled sample of every plugin previews for every platform in both languages.
    for (const plugin of ['github', 'gitlab', 'gitea', 'alertmanager', 'grafana', 'monitor']) {
      for (const event of (await t.admin(`/api/admin/plugins/${plugin}/samples`)).json().samples as string[]) {
        for (const locale of ['en', 'zh-CN']) {
          const r = await t.admin(`/api/admin/plugins/${plugin}/preview`, { method: 'POST', json: { event, locale } })
          assert.equal(r.status, 200, `${plugin} ${event}: ${r.text}`)
          const body = r.json() as Preview
          if (body.message) assert.equal(body.platforms.length, 11, `${plugin} ${event}`)
        }
      }
    }
  } finally {
    await t.close()
  }
})
