// githubWebhook(): routes GitHub's own sample payloads by event and by "event.action", and answers ping by itself.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { definePlugin, githubWebhook, verify } from '../index.js'
import { createTestHost } from '../testing/index.js'

type Definition = { name: string; examples: Array<Record<string, unknown>> }
const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as Definition[]
const sample = (name: string, action?: string) => examples.find((d) => d.name === name)!.examples.find((e) => action === undefined || e.action === action)!

test('typed GitHub routes run for their event and action only, with the payload GitHub sends', async () => {
  const calls: string[] = []
  const router = githubWebhook()
    .on('push', (payload) => void calls.push(`push ${payload.ref}`))
    .on('issues.opened', (payload, context) => {
      calls.push(`opened #${payload.issue.number} ${context.id}`)
      return { status: 'success', issue: payload.issue.number }
    })
    .on('issues', (payload) => void calls.push(`issues ${payload.action}`))
  const plugin = definePlugin({
    name: 'gh',
    version: '1.0.0',
    setup(p) {
      p.mountWebhook('/github', router.handler, { verify: verify.github(() => 'secret') })
    },
  })
  const t = await createTestHost({ plugins: [plugin] })
  try {
    const push = sample('push')
    const r1 = await t.send.github('gh', '/github', 'push', push, { secret: 'secret' })
    assert.deepEqual(r1.json(), { status: 'success', event: 'push' })
    const opened = sample('issues', 'opened')
    const r2 = await t.send.github('gh', '/github', 'issues', opened, { secret: 'secret', deliveryId: 'd-1' })
    assert.deepEqual(r2.json(), { status: 'success', issue: (opened.issue as { number: number }).number })
    const r3 = await t.send.github('gh', '/github', 'ping', sample('ping'), { secret: 'secret' })
    assert.deepEqual(r3.json(), { message: 'pong' })
    const r4 = await t.send.github('gh', '/github', 'star', sample('star'), { secret: 'secret' })
    assert.deepEqual(r4.json(), { status: 'ignored', event: 'star' })
    // GitHub's form-encoded content type carries the JSON in a "payload" field.
    const form = new URLSearchParams({ payload: JSON.stringify(push) }).toString()
    const r5 = await t.send.github('gh', '/github', 'push', form, { secret: 'secret', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    assert.equal(r5.status, 200, r5.text)
    const r6 = await t.send.github('gh', '/github', 'push', push, { secret: 'secret', headers: { 'x-github-event': '' } })
    assert.equal(r6.status, 400, r6.text)
    assert.deepEqual(calls, [`push ${push.ref}`, `opened #${(opened.issue as { number: number }).number} d-1`, 'issues opened', `push ${push.ref}`])
  } finally {
    await t.close()
  }
})
