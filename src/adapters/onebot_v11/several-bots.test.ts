// Several bots on one reverse WebSocket path: each connection is bound to its adapter instance by X-Self-ID, sends and answers never cross.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { definePlugin } from '../../index.js'
import { createTestHost } from '../../testing/index.js'
import { waitFor } from '../../testing/helpers.js'
import { messageEvent, reverseClient, type ApiCall } from '../../../test/fakes/napcat.js'

const textOf = (call: ApiCall): string => (call.params?.message ?? []).filter((s: any) => s.type === 'text').map((s: any) => s.data.text).join('')
const sends = (calls: ApiCall[]) => calls.filter((c) => c.action === 'send_group_msg')

test('two bots on /onebot/v11/ws: each instance sends through its own bot, commands are answered by the bot that heard them', async () => {
  const sender = definePlugin({
    name: 'sender',
    version: '1.0.0',
    setup(plugin) {
      plugin.mountWebhook('/say', async (req) => plugin.send(req.query.to, req.query.text), { public: true })
    },
  })
  const t = await createTestHost({
    builtins: true,
    plugins: [sender],
    config: {
      adapters: {
        qqa: { type: 'onebot_v11', transport: 'ws-reverse', accessToken: 'token-a', selfId: '10001', locale: 'en' },
        qqb: { type: 'onebot_v11', transport: 'ws-reverse', accessToken: 'token-b', selfId: '10002', locale: 'en' },
      },
    } as never,
  })
  const url = `ws://127.0.0.1:${t.host.port}/onebot/v11/ws`
  const a = await reverseClient(url, { selfId: 10001, token: 'token-a' })
  const b = await reverseClient(url, { selfId: 10002, token: 'token-b' })
  try {
    // Bot B with bot A's token is refused: a token proves one instance's bot only.
    await assert.rejects(reverseClient(url, { selfId: 10002, token: 'token-a' }), (e: any) => e.status === 403)
    await waitFor(async () => {
      const links = (await t.request('/readyz')).json().links
      return links.qqa?.state === 'up' && links.qqb?.state === 'up'
    }, 'both bots bound')
    assert.equal((await t.webhook('sender', '/say?to=qqa-group_111111&text=for%20A')).status, 200)
    assert.equal((await t.webhook('sender', '/say?to=qqb-group_222222&text=for%20B')).status, 200)
    await waitFor(() => sends(a.calls).length === 1 && sends(b.calls).length === 1, 'one message through each bot')
    assert.deepEqual([sends(a.calls)[0].params.group_id, textOf(sends(a.calls)[0])], [111111, 'for A'])
    assert.deepEqual([sends(b.calls)[0].params.group_id, textOf(sends(b.calls)[0])], [222222, 'for B'])

    b.send(messageEvent({ selfId: 10002, groupId: 222222, userId: 20001, role: 'member', text: '/hookcat help', messageId: 1 }))
    await waitFor(() => sends(b.calls).length === 2, 'the answer through bot B')
    assert.match(textOf(sends(b.calls)[1]), /hookcat commands/)
    assert.equal(sends(a.calls).length, 1, 'bot A sent nothing for it')
  } finally {
    await a.close()
    await b.close()
    await t.close()
  }
})
