// Who an event concerns (forges and alert routes) and how the host resolves them per adapter instance.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { peopleSchema } from '../../config/people.js'
import { mentionResolver } from '../../host/mentions.js'
import { alertMentions, forgeMentions } from './people.js'

test('forges: requested reviewers and assignees, the assignee, the author of a reviewed PR, the actor of a failed run; never the actor of their own assignment', () => {
  const pr = { login: 'author' }
  assert.deepEqual(forgeMentions('github', 'pull_request', { action: 'opened', sender: pr, pull_request: { user: pr, requested_reviewers: [{ login: 'r1' }, { login: 'R1' }], assignees: [{ login: 'a1' }, { login: 'author' }] } }), [{ github: 'r1' }, { github: 'a1' }])
  assert.deepEqual(forgeMentions('github', 'pull_request', { action: 'review_requested', sender: pr, requested_reviewer: { login: 'r2' } }), [{ github: 'r2' }])
  assert.deepEqual(forgeMentions('github', 'issues', { action: 'assigned', sender: { login: 'me' }, assignee: { login: 'me' } }), [], 'self-assignment tells nobody')
  assert.deepEqual(forgeMentions('gitea', 'issues', { action: 'assigned', sender: { login: 'lead' }, assignee: { login: 'dev' } }), [{ gitea: 'dev' }])
  assert.deepEqual(forgeMentions('github', 'pull_request_review', { action: 'submitted', sender: { login: 'rev' }, review: { state: 'changes_requested' }, pull_request: { user: pr } }), [{ github: 'author' }])
  assert.deepEqual(forgeMentions('github', 'pull_request_review', { action: 'submitted', sender: { login: 'rev' }, review: { state: 'commented' }, pull_request: { user: pr } }), [])
  const run = (conclusion: string) => ({ sender: { login: 'pusher' }, workflow_run: { conclusion, actor: { login: 'pusher' }, triggering_actor: { login: 'retrier' } } })
  assert.deepEqual(forgeMentions('github', 'workflow_run', run('failure')), [{ github: 'retrier' }], 'the one who triggered the failed attempt')
  assert.deepEqual(forgeMentions('github', 'workflow_run', run('success')), [])
  assert.deepEqual(forgeMentions('github', 'push', { sender: { login: 'pusher' } }), [], 'a push mentions nobody')
  assert.deepEqual(forgeMentions('gitlab', 'pipeline', { object_kind: 'pipeline', user: { username: 'dev' }, object_attributes: { status: 'failed' } }), [{ gitlab: 'dev' }])
  assert.deepEqual(
    forgeMentions('gitlab', 'merge_request', { object_kind: 'merge_request', user: { username: 'lead' }, object_attributes: { action: 'update' }, changes: { reviewers: { previous: [{ username: 'old' }], current: [{ username: 'old' }, { username: 'new' }] } } }),
    [{ gitlab: 'new' }],
    'only reviewers this update added',
  )
})

test('alert routes: people by severity while firing, @all only for the severities the route names', () => {
  const route = { mention: { critical: ['oncall'], warning: ['bob'] }, mentionAll: ['critical'] }
  assert.deepEqual(alertMentions(route, ['CRITICAL', 'warning'], true), { mentions: [{ person: 'oncall' }, { person: 'bob' }], mentionAll: true })
  assert.deepEqual(alertMentions(route, ['warning'], true), { mentions: [{ person: 'bob' }], mentionAll: false })
  assert.deepEqual(alertMentions(route, ['critical'], false), { mentions: [], mentionAll: false }, 'a resolve mentions nobody')
  assert.deepEqual(alertMentions({ mention: {}, mentionAll: true }, ['info'], true).mentionAll, true)
})

test('the resolver: groups expand, identities match case-insensitively, ids per instance, names without ids, duplicates once', () => {
  const people = peopleSchema.parse({
    alice: { name: 'Alice', github: ['alice-gh', 'alice-old'], qq: 10001, dt: { mobile: 13800000000, userId: 'al' } },
    bob: { gitlab: 'bob' },
    oncall: ['alice', 'bob'],
  })
  const qq = mentionResolver(people, 'qq', 'onebot_v11')
  assert.deepEqual(qq({ text: 'x', mentions: [{ person: 'oncall' }, { github: 'ALICE-OLD' }, { gitlab: 'bob' }, { github: 'nobody' }, '42', { id: '7', adapter: 'tg' }] }).mentions, [
    { id: '10001', name: 'Alice' },
    { name: 'bob' },
    '42',
  ])
  assert.deepEqual(mentionResolver(people, 'dt', 'dingtalk')({ text: 'x', mentions: [{ person: 'alice' }] }).mentions, [{ id: 'al', mobile: '13800000000', name: 'Alice' }])
  assert.deepEqual(mentionResolver(people, 'mail', 'email')({ text: 'x', mentions: [{ email: 'ext@example.com' }] }).mentions, [{ id: 'ext@example.com', name: 'ext@example.com' }], 'an address reaches e-mail even unknown')
  assert.equal('mentions' in qq({ text: 'x', mentions: [{ github: 'nobody' }] }), false, 'nobody left: no mentions key')
  assert.equal(peopleSchema.safeParse({ 'bad name': {} }).success, false)
  assert.equal(peopleSchema.safeParse({ a: { qq: 'has space' } }).success, false)
})
