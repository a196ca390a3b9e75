// The GitHub built-in through a real host: every @octokit/webhooks-examples payload, form bodies, routing, filters and ordering.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { createRequire } from 'node:module'
import { createTestHost, type TestHost } from '../../testing/index.js'
import { SUPPORTED_EVENTS } from './format/index.js'

const require = createRequire(import.meta.url)
const examples = require('@octokit/webhooks-examples') as Array<{ name: string; examples: Array<Record<string, any>> }>
const SECRET = 'gh-secret-for-tests'
let seq = 0

function signed(event: string, body: string, contentType = 'application/json') {
  return {
    body,
    headers: {
      'content-type': contentType,
      'x-github-event': event,
      'x-github-delivery': `d-${++seq}-${Date.now()}`,
      'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
    },
  }
}

async function settled(t: TestHost, id: string) {
  const deadline = Date.now() + 15_000
  while (Date.now() < deadline) {
    const row = await t.host.storage.getDelivery(id)
    if (row && (row.status === 'done' || row.status === 'failed')) return row
    await new Promise((r) => setTimeout(r, 20))
  }
  throw new Error(`delivery ${id} did not finish`)
}

test('every webhooks-examples payload is accepted and handled (none a 5xx); supported events name repository and actor', async () => {
  const t = await createTestHost({ builtins: true, config: { plugins: { github: { config: { webhookSecret: SECRET, notificationChat: 'test-gh', locale: 'en', filters: { runs: 'all', synchronize: true, statuses: ['success', 'failure', 'error', 'pending'] } } } } } })
  try {
    const all = examples.flatMap((group) => group.examples.map((payload) => ({ event: group.name, payload })))
    // Sent in batches, each checked once handled: the inbox runs them concurrently, as it would real traffic.
    for (let i = 0; i < all.length; i += 25) {
      const batch = all.slice(i, i + 25)
      const ids = await Promise.all(
        batch.map(async ({ event, payload }) => {
          const r = await t.webhook('github', '/github', signed(event, JSON.stringify(payload)))
          assert.equal(r.status, 202, `${event}: ${r.text}`)
          return r.json().id as string
        }),
      )
      for (const [k, id] of ids.entries()) {
        const { event, payload } = batch[k]
        const row = await settled(t, id)
        assert.equal(row.status, 'done', `${event}.${payload.action}: ${row.error}`)
        assert.ok((row.responseStatus ?? 500) < 500)
        const result = JSON.parse(row.responseBody ?? '{}')
        if (!SUPPORTED_EVENTS.includes(event) || result.status !== 'sent') continue
        const [message] = (await t.host.storage.listMessages({ chatKey: 'test-gh', limit: 1000 })).filter((m) => m.deliveryId === id)
        assert.ok(message, `${event}: no message`)
        const m = message.message as { text: string; title?: string; source?: string; fields?: Array<{ name: string; value: string }> }
        const text = [m.source, m.title, m.text, ...(m.fields ?? []).map((f) => f.value)].join('\n')
        const repo = payload.repository?.full_name ?? payload.organization?.login
        if (repo) assert.ok(text.includes(repo), `${event}: ${text}`)
        if (payload.sender?.login) assert.ok(text.includes(payload.sender.login), `${event}: ${text}`)
      }
    }
    const count = all.length
    assert.ok(count > 300, `ran ${count} examples`)
  } finally {
    await t.close()
  }
})

test('form-encoded bodies, routing by repository and organisation, filters, bad input, and a missing secret', async () => {
  const push = examples.find((e) => e.name === 'push')!.examples.find((p) => p.commits?.length > 0) ?? examples.find((e) => e.name === 'push')!.examples[0]
  const issue = examples.find((e) => e.name === 'issues')!.examples.find((p) => p.action === 'opened')!
  const t = await createTestHost({
    builtins: true,
    config: {
      plugins: {
        github: {
          config: {
            webhookSecret: SECRET,
            notificationChat: 'test-default',
            filters: { excludeEvents: ['star'] },
            routes: [
              { repository: `${issue.repository.owner.login}/*`, chats: ['test-org-a', 'test-org-b'], filters: { events: ['issues.opened'] } },
            ],
          },
        },
      },
    },
  })
  try {
    const form = new URLSearchParams({ payload: JSON.stringify(issue) }).toString()
    const r = await t.webhook('github', '/github', signed('issues', form, 'application/x-www-form-urlencoded'))
    assert.equal(r.status, 202, r.text)
    const row = await settled(t, r.json().id)
    assert.equal(JSON.parse(row.responseBody!).chats, 2)
    const got = [await t.sent.next(), await t.sent.next()].map((m) => m.chatKey).sort()
    assert.deepEqual(got, ['test-org-a', 'test-org-b'])
    // The route claims the repository but filters pushes out: no fallback to the default chat.
    const p = await settled(t, (await t.webhook('github', '/github', signed('push', JSON.stringify({ ...push, repository: issue.repository })))).json().id)
    assert.equal(JSON.parse(p.responseBody!).status, 'dropped')
    // Another repository goes to notificationChat; star is excluded everywhere.
    const other = { ...push, repository: { ...push.repository, full_name: 'someone/else', owner: { login: 'someone' } } }
    await settled(t, (await t.webhook('github', '/github', signed('push', JSON.stringify(other)))).json().id)
    assert.equal((await t.sent.next()).chatKey, 'test-default')
    const star = await settled(t, (await t.webhook('github', '/github', signed('star', JSON.stringify(other)))).json().id)
    assert.match(JSON.parse(star.responseBody!).reason, /excludeEvents/)
    // Bad input: not JSON, no event header, bad signature.
    const bad = await settled(t, (await t.webhook('github', '/github', signed('push', 'not json'))).json().id)
    assert.equal(bad.responseStatus, 400)
    const noEvent = signed('push', '{}')
    delete (noEvent.headers as Record<string, string>)['x-github-event']
    assert.equal((await settled(t, (await t.webhook('github', '/github', noEvent)).json().id)).responseStatus, 400)
    const forged = signed('push', '{}')
    forged.headers['x-hub-signature-256'] = `sha256=${'0'.repeat(64)}`
    assert.equal((await t.webhook('github', '/github', forged)).status, 401)
  } finally {
    await t.close()
  }
  const open = await createTestHost({ builtins: true })
  try {
    assert.equal((await open.webhook('github', '/github', signed('push', '{}'))).status, 503, 'no secret: closed, not open')
  } finally {
    await open.close()
  }
})

test('workflow_job events arriving out of order never let an older state overwrite a newer one', async () => {
  const jobs = examples.find((e) => e.name === 'workflow_job')!.examples
  const base = jobs.find((p) => p.action === 'completed')!
  const at = (status: string, action: string) => ({ ...base, action, workflow_job: { ...base.workflow_job, id: 424242, status, conclusion: status === 'completed' ? 'success' : null } })
  // Every state posts here (filters.runs: all): the point is the order, not the quiet defaults.
  const t = await createTestHost({ builtins: true, config: { plugins: { github: { config: { webhookSecret: SECRET, notificationChat: 'test-ci', locale: 'en', filters: { runs: 'all' } } } } } })
  try {
    const results: string[] = []
    for (const [status, action] of [['in_progress', 'in_progress'], ['completed', 'completed'], ['queued', 'queued'], ['in_progress', 'in_progress']]) {
      const row = await settled(t, (await t.webhook('github', '/github', signed('workflow_job', JSON.stringify(at(status, action))))).json().id)
      results.push(JSON.parse(row.responseBody!).status)
    }
    assert.deepEqual(results, ['sent', 'sent', 'ignored', 'ignored'])
    const texts = [(await t.sent.next()).message.title, (await t.sent.next()).message.title]
    assert.match(texts[0] ?? '', /in progress/)
    assert.match(texts[1] ?? '', /success/)
  } finally {
    await t.close()
  }
})
