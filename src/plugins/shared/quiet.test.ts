// The forges' quiet defaults through a real host over HTTP: CI posts failures and the success that fixes one, no synchronize, statuses only when they fail; each switchable in filters.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { createTestHost, type TestHost } from '../../testing/index.js'
import { RunOutcomes, runFacts } from './runs.js'

const sample = (path: string) => JSON.parse(readFileSync(fileURLToPath(new URL(`../../../test/fixtures/senders/${path}.json`, import.meta.url)), 'utf8'))
const GH = 'quiet-gh-secret'
let runId = 9000

/** A workflow run of the CI sample: its own run id, on a branch, in a state. */
function run(status: string, conclusion: string | null, branch = 'master') {
  const p = sample('github/workflow_run.failure')
  return { ...p, action: status === 'completed' ? 'completed' : status === 'queued' ? 'requested' : 'in_progress', workflow_run: { ...p.workflow_run, id: ++runId, status, conclusion, head_branch: branch } }
}

/** Sends a GitHub event and waits for its delivery: the plugin's answer (sent, dropped and why). */
async function github(t: TestHost, event: string, payload: unknown): Promise<{ status: string; reason?: string }> {
  const r = await t.send.github('github', '/github', event as never, payload, { secret: GH })
  assert.equal(r.status, 202, r.text)
  const row = await t.settled(r.json().id)
  assert.equal(row.status, 'done', row.error ?? '')
  return JSON.parse(row.responseBody ?? '{}')
}

test('github by default: no queued or running runs, failures always, a success only when it fixes the failure of its workflow and branch', async () => {
  const t = await createTestHost({ builtins: true, config: { plugins: { github: { config: { webhookSecret: GH, notificationChat: 'test-ci', locale: 'en' } } } } })
  try {
    const queued = await github(t, 'workflow_run', run('queued', null))
    assert.equal(queued.status, 'dropped')
    assert.match(queued.reason ?? '', /filters\.runs/)
    assert.equal((await github(t, 'workflow_run', run('in_progress', null))).status, 'dropped')
    assert.equal((await github(t, 'workflow_run', run('completed', 'success'))).status, 'dropped', 'a success with no failure before it')
    assert.equal((await github(t, 'workflow_run', run('completed', 'failure'))).status, 'sent')
    const failed = await t.sent.next()
    assert.equal(failed.message.title, 'Workflow CI #128: failure')
    assert.equal(failed.message.level, 'error')
    // A success on another branch fixes nothing; the one on master does, once.
    assert.equal((await github(t, 'workflow_run', run('completed', 'success', 'feature'))).status, 'dropped')
    assert.equal((await github(t, 'workflow_run', run('completed', 'cancelled'))).status, 'dropped', 'cancelled is not a failure and fixes nothing')
    assert.equal((await github(t, 'workflow_run', run('completed', 'success'))).status, 'sent')
    const fixed = await t.sent.next()
    assert.equal(fixed.message.title, 'Workflow CI #128: fixed')
    assert.equal(fixed.message.icon, '✅')
    assert.equal(fixed.message.level, 'success')
    assert.equal((await github(t, 'workflow_run', run('completed', 'success'))).status, 'dropped', 'the next success is no news')

    const sync = await github(t, 'pull_request', sample('github/pull_request.synchronize'))
    assert.equal(sync.status, 'dropped')
    assert.match(sync.reason ?? '', /filters\.synchronize/)
    assert.equal((await github(t, 'pull_request', sample('github/pull_request.opened'))).status, 'sent')
    assert.match((await t.sent.next()).message.title ?? '', /opened pull request #2/)

    const status = sample('github/status.failure')
    assert.equal((await github(t, 'status', { ...status, state: 'success' })).status, 'dropped')
    assert.equal((await github(t, 'status', { ...status, state: 'pending' })).status, 'dropped')
    for (const state of ['failure', 'error']) {
      assert.equal((await github(t, 'status', { ...status, state })).status, 'sent')
      const m = await t.sent.next()
      assert.equal(m.message.title, `Commit status ci/jenkins: ${state === 'error' ? 'error' : 'failure'}`)
      assert.equal(m.message.link?.url, 'https://jenkins.example.com/job/hello-world/57/')
    }
    assert.equal(t.sent.all().length, 5, 'nothing else reached the chat')
  } finally {
    await t.close()
  }
})

test('github: the defaults are switched with filters, globally and per route', async () => {
  const t = await createTestHost({
    builtins: true,
    config: {
      plugins: {
        github: {
          config: {
            webhookSecret: GH,
            notificationChat: 'test-default',
            locale: 'en',
            filters: { runs: 'completed', synchronize: true, statuses: ['success'] },
            routes: [{ repository: 'Codertocat/*', chats: ['test-route'], filters: { runs: 'all' } }],
          },
        },
      },
    },
  })
  try {
    // octo-org/octo-repo has no route: the global filters (runs: completed) decide.
    assert.equal((await github(t, 'workflow_run', run('queued', null))).status, 'dropped')
    assert.equal((await github(t, 'workflow_run', run('completed', 'success'))).status, 'sent', 'every finished run')
    assert.equal((await t.sent.next()).chatKey, 'test-default')
    // Codertocat/Hello-World's route says all: queued runs too.
    const mine = run('queued', null)
    mine.repository = sample('github/pull_request.opened').repository
    assert.equal((await github(t, 'workflow_run', mine)).status, 'sent')
    const queued = await t.sent.next()
    assert.equal(queued.chatKey, 'test-route')
    assert.match(queued.message.title ?? '', /queued/)
    assert.equal((await github(t, 'pull_request', sample('github/pull_request.synchronize'))).status, 'sent', 'synchronize switched on')
    const sync = await t.sent.next()
    assert.match(sync.message.title ?? '', /pushed new commits to pull request #2/)
    assert.deepEqual(sync.message.fields?.find((f) => f.name === 'Commit')?.value, 'f95f852 → ec26c3e', 'one line naming the new commits')
    assert.equal((await github(t, 'status', { ...sample('github/status.failure'), state: 'failure' })).status, 'dropped', 'statuses: [success] only')
  } finally {
    await t.close()
  }
})

test('gitlab and gitea by default: pipelines post failures and fixes, merge-request and pull-request pushes stay quiet', async () => {
  const GT = 'quiet-gitea-secret'
  const t = await createTestHost({
    builtins: true,
    config: { plugins: { gitlab: { config: { token: 'quiet-gl-token', notificationChat: 'test-gl' } }, gitea: { config: { webhookSecret: GT, notificationChat: 'test-gt' } } } },
  })
  try {
    const gitlab = async (header: string, payload: unknown) => {
      const r = await t.send.gitlab('gitlab', '/gitlab', header as never, payload, { token: 'quiet-gl-token' })
      assert.equal(r.status, 202, r.text)
      return JSON.parse((await t.settled(r.json().id)).responseBody ?? '{}') as { status: string; reason?: string }
    }
    const failed = sample('gitlab/pipeline.failed')
    const at = (status: string) => ({ ...failed, object_attributes: { ...failed.object_attributes, status } })
    assert.equal((await gitlab('Pipeline Hook', at('running'))).status, 'dropped')
    assert.equal((await gitlab('Pipeline Hook', at('success'))).status, 'dropped')
    assert.equal((await gitlab('Pipeline Hook', failed)).status, 'sent')
    const m = await t.sent.next()
    assert.equal(m.message.title, '流水线 #3：失败')
    assert.equal(m.message.fields?.find((f) => f.name === '失败的任务')?.value, 'unit-tests (test), e2e (test)', 'the failing jobs, not the one allowed to fail')
    assert.equal((await gitlab('Pipeline Hook', at('success'))).status, 'sent')
    assert.equal((await t.sent.next()).message.title, '流水线 #3：已修复')
    const update = await gitlab('Merge Request Hook', sample('gitlab/merge_request.update'))
    assert.equal(update.status, 'dropped')
    assert.match(update.reason ?? '', /filters\.synchronize/)
    assert.equal((await gitlab('Merge Request Hook', sample('gitlab/merge_request'))).status, 'sent')
    await t.sent.next()

    const body = JSON.stringify(sample('gitea/pull_request.synchronized'))
    const signature = createHmac('sha256', GT).update(body).digest('hex')
    const r = await t.webhook('gitea', '/gitea', { body, headers: { 'content-type': 'application/json', 'x-gitea-event': 'pull_request', 'x-gitea-signature': signature } })
    assert.equal(r.status, 202)
    assert.equal(JSON.parse((await t.settled(r.json().id)).responseBody ?? '{}').status, 'dropped')
    assert.equal(t.sent.all().length, 3)
  } finally {
    await t.close()
  }
})

test('a retried delivery of a fixing run decides "fixed" again; other deliveries do not', async () => {
  const values = new Map<string, unknown>()
  const store = {
    get: async (k: string) => values.get(k),
    set: async (k: string, v: unknown) => void values.set(k, v),
    delete: async (k: string) => void values.delete(k),
    list: async (prefix: string) => [...values].filter(([k]) => k.startsWith(prefix)).map(([key, value]) => ({ key, value })),
  }
  const outcomes = new RunOutcomes(store as never)
  assert.equal(await outcomes.note(runFacts('s', 'failure'), 'd1'), false)
  assert.equal(await outcomes.note(runFacts('s', 'success'), 'd2'), true)
  assert.equal(await outcomes.note(runFacts('s', 'success'), 'd2'), true, 'the same delivery again')
  assert.equal(await outcomes.note(runFacts('s', 'success'), 'd3'), false)
  assert.equal(await outcomes.note(runFacts('s', 'in_progress'), 'd4'), false)
})
