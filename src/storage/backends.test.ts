// The storage contract, run against every backend: SQLite (writer thread) and PostgreSQL.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { dropSchema, freshSchemaUrl } from '../../test/support/postgres.js'
import { createStorage } from './index.js'
import type { DeliveryInsert, Storage } from './types.js'

interface Backend {
  name: string
  make(): Promise<{ storage: Storage; cleanup(): Promise<void> }>
}

const backends: Backend[] = [
  {
    name: 'sqlite',
    async make() {
      const dir = mkdtempSync(join(tmpdir(), 'hookcat-storage-'))
      const storage = createStorage(`sqlite:${join(dir, 'db.sqlite')}`)
      return { storage, cleanup: async () => rmSync(dir, { recursive: true, force: true }) }
    },
  },
  {
    name: 'postgres',
    async make() {
      const { url, schema } = freshSchemaUrl()
      return { storage: createStorage(url), cleanup: () => dropSchema(schema) }
    },
  },
]

function delivery(id: string, extra: Partial<DeliveryInsert> = {}): DeliveryInsert {
  return {
    id,
    plugin: 'p',
    route: '/hook',
    path: '/hook',
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    query: '',
    body: Buffer.from('{"a":1}'),
    bodySize: 7,
    clientIp: '127.0.0.1',
    mode: 'async',
    status: 'queued',
    dedupKey: null,
    responseStatus: null,
    responseBody: null,
    error: null,
    nextAttemptAt: null,
    receivedAt: Date.now(),
    ...extra,
  }
}

for (const backend of backends) {
  describe(`storage contract: ${backend.name}`, async () => {
    const { storage, cleanup } = await backend.make()
    await storage.open()
    after(async () => {
      await storage.close()
      await cleanup()
    })

    test('migrations are recorded and a second run applies nothing', async () => {
      assert.deepEqual(await storage.migrate(), [])
      assert.equal(await storage.ping(), true)
    })

    test('an async delivery keeps its ordering key, also in the multi-row insert of a batch', async () => {
      await Promise.all([
        storage.write([{ op: 'delivery.insert', delivery: delivery('d-order-1', { orderingKey: 'p\u001f/hook\u001frepo-1' }) }]),
        storage.write([{ op: 'delivery.insert', delivery: delivery('d-order-2', { orderingKey: 'p\u001f/hook\u001frepo-2' }) }]),
      ])
      assert.equal((await storage.getDelivery('d-order-1'))?.orderingKey, 'p\u001f/hook\u001frepo-1')
      assert.equal((await storage.getDelivery('d-order-2'))?.orderingKey, 'p\u001f/hook\u001frepo-2')
      assert.equal((await storage.unfinishedDeliveries(500, 0)).find((d) => d.id === 'd-order-2')?.orderingKey, 'p\u001f/hook\u001frepo-2')
    })

    test('a delivery round-trips with its exact bytes and headers', async () => {
      const body = Buffer.from([0xff, 0x00, 0x7b, 0xe2, 0x80, 0xa8])
      const [result] = await storage.write([{ op: 'delivery.insert', delivery: delivery('d-bytes', { body, bodySize: body.length }) }])
      assert.equal(result.duplicate, undefined)
      const row = await storage.getDelivery('d-bytes')
      assert.ok(row)
      assert.deepEqual(row.body, body)
      assert.deepEqual(row.headers, { 'content-type': 'application/json' })
      assert.equal(row.status, 'queued')
      assert.equal(typeof row.receivedAt, 'number')
    })

    test('a repeated dedup key returns the first delivery and skips the rest of its unit', async () => {
      await storage.write([{ op: 'delivery.insert', delivery: delivery('d-first', { dedupKey: 'gh-1' }) }])
      const results = await storage.write([
        { op: 'delivery.insert', delivery: delivery('d-second', { dedupKey: 'gh-1' }) },
        { op: 'outbox.insert', messages: [{ id: 'm-skipped', chatKey: 'test-x', message: { text: 'no' }, plugin: 'p', deliveryId: 'd-second', createdAt: Date.now() }] },
      ])
      assert.equal(results.length, 1)
      assert.equal(results[0].duplicate?.id, 'd-first')
      assert.equal(await storage.getDelivery('d-second'), undefined)
      assert.equal(await storage.getMessage('m-skipped'), undefined)
      assert.equal((await storage.findDelivery('p', 'gh-1'))?.duplicates, 1)
    })

    test('dedup is scoped to the route: the same key at another route of the plugin is another delivery', async () => {
      await storage.write([{ op: 'delivery.insert', delivery: delivery('d-route-a', { dedupKey: 'shared-id', route: '/a', path: '/a' }) }])
      const [other] = await storage.write([{ op: 'delivery.insert', delivery: delivery('d-route-b', { dedupKey: 'shared-id', route: '/b', path: '/b' }) }])
      assert.equal(other.duplicate, undefined)
      const [again] = await storage.write([{ op: 'delivery.insert', delivery: delivery('d-route-a2', { dedupKey: 'shared-id', route: '/a', path: '/a' }) }])
      assert.equal(again.duplicate?.id, 'd-route-a')
      assert.equal((await storage.findDelivery('p', 'shared-id', '/b'))?.id, 'd-route-b')
      assert.equal((await storage.findDelivery('p', 'shared-id', '/a'))?.duplicates, 1)
    })

    test('a digest replaces its members in one unit at the first member\'s place; a member already tried or carried fails the unit whole', async () => {
      const msg = (id: string) => ({ id, chatKey: 'test-digest', message: { text: id }, plugin: 'p', deliveryId: null, createdAt: 1000 })
      await storage.write([{ op: 'outbox.insert', messages: ['dg-0', 'dg-1', 'dg-2', 'dg-3', 'dg-4'].map(msg) }])
      await storage.write([{ op: 'outbox.update', id: 'dg-0', patch: { attempts: 1 } }])
      const unfinished = async () => (await storage.unfinishedMessages(1000)).filter((m) => m.chatKey === 'test-digest')
      const before = await unfinished()
      const [r] = await storage.write([{ op: 'outbox.digest', digest: msg('dg-D'), members: ['dg-1', 'dg-2'] }])
      assert.equal(r.changes, 2)
      const rows = await unfinished()
      const digest = rows.find((m) => m.id === 'dg-D')!
      assert.equal(digest.position, before.find((m) => m.id === 'dg-1')!.seq, 'the digest sits where its first member was')
      assert.deepEqual(rows.map((m) => m.id).sort(), ['dg-0', 'dg-3', 'dg-4', 'dg-D'])
      assert.deepEqual((await storage.digestMembers('dg-D')).map((m) => [m.id, m.state, m.carriedBy]), [['dg-1', 'carried', 'dg-D'], ['dg-2', 'carried', 'dg-D']])
      assert.equal((await storage.getMessage('dg-3'))?.carriedBy, null)
      // dg-0 was tried and dg-2 is carried already: nothing of either unit changes.
      for (const members of [['dg-3', 'dg-0'], ['dg-4', 'dg-2']]) {
        await assert.rejects(storage.write([{ op: 'outbox.digest', digest: msg(`dg-E${members[1]}`), members }]))
      }
      assert.equal((await storage.getMessage('dg-3'))?.state, 'pending')
      assert.equal((await storage.getMessage('dg-4'))?.state, 'pending')
      assert.equal(await storage.getMessage('dg-Edg-0'), undefined)
      assert.equal((await storage.outboxCounts()).carried, 2)
      // Discarded, so that the later tests see no message of this one waiting (nor delivered).
      await storage.write(['dg-0', 'dg-3', 'dg-4', 'dg-D'].map((id) => ({ op: 'outbox.update' as const, id, patch: { state: 'discarded' as const } })))
    })

    test('mutes are kept until they end, replaced by a new one, and deleted', async () => {
      await storage.write([{ op: 'mute.set', chatKey: 'test-m1', until: 5000, createdAt: 100 }, { op: 'mute.set', chatKey: 'test-m2', until: 3000, createdAt: 100 }])
      await storage.write([{ op: 'mute.set', chatKey: 'test-m1', until: 9000, createdAt: 200 }])
      assert.deepEqual(await storage.mutes(1000), [
        { chatKey: 'test-m2', until: 3000, createdAt: 100 },
        { chatKey: 'test-m1', until: 9000, createdAt: 200 },
      ])
      assert.deepEqual((await storage.mutes(4000)).map((m) => m.chatKey), ['test-m1'], 'an ended mute is not listed')
      const [gone] = await storage.write([{ op: 'mute.delete', chatKey: 'test-m1' }])
      assert.equal(gone.changes, 1)
      const [none] = await storage.write([{ op: 'mute.delete', chatKey: 'test-m1' }])
      assert.equal(none.changes, 0)
      assert.deepEqual(await storage.mutes(0), [{ chatKey: 'test-m2', until: 3000, createdAt: 100 }])
    })

    test('refusal counts add up per plugin, route and reason, keeping the first and last time', async () => {
      const c = (count: number, at: number, reason = 'SIGNATURE_INVALID') => ({ plugin: 'rp', route: '/r', reason, status: 401, count, firstAt: at, lastAt: at })
      await storage.write([{ op: 'refusals.add', counts: [c(3, 100), c(1, 150, 'UNAUTHORIZED')] }])
      await storage.write([{ op: 'refusals.add', counts: [c(4, 200)] }])
      assert.deepEqual(await storage.refusalCounts('rp'), [
        { plugin: 'rp', route: '/r', reason: 'SIGNATURE_INVALID', status: 401, count: 7, firstAt: 100, lastAt: 200 },
        { plugin: 'rp', route: '/r', reason: 'UNAUTHORIZED', status: 401, count: 1, firstAt: 150, lastAt: 150 },
      ])
      assert.deepEqual(await storage.refusalCounts('nobody'), [])
    })

    test('tasks.prune drops finished tasks beyond the count and age, never unfinished ones', async () => {
      const insert = (id: string, createdAt: number) => ({ op: 'task.insert' as const, task: { id, plugin: 'tp', kind: 'job', params: {}, policy: 'fail' as const, maxAttempts: 1, createdAt } })
      await storage.write([insert('tp-old', 10), insert('tp-1', 1000), insert('tp-2', 1001), insert('tp-3', 1002), insert('tp-running', 5)])
      for (const id of ['tp-old', 'tp-1', 'tp-2', 'tp-3']) await storage.write([{ op: 'task.update', id, patch: { status: 'completed', finishedAt: 1100 } }])
      await storage.write([{ op: 'task.update', id: 'tp-running', patch: { status: 'running' } }])
      const [result] = await storage.write([{ op: 'tasks.prune', keep: 2, olderThan: 500 }])
      assert.equal(result.changes, 2)
      const left = (await storage.listTasks({ plugin: 'tp' })).map((task) => task.id).sort()
      assert.deepEqual(left, ['tp-2', 'tp-3', 'tp-running'])
      await storage.write([{ op: 'task.update', id: 'tp-running', patch: { status: 'completed', finishedAt: 1200 } }])
    })

    test('the same dedup key written concurrently is stored once', async () => {
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) => storage.write([{ op: 'delivery.insert', delivery: delivery(`d-race-${i}`, { dedupKey: 'race' }) }])),
      )
      assert.equal(results.filter(([r]) => r.duplicate === undefined).length, 1)
      assert.equal(results.filter(([r]) => r.duplicate !== undefined).length, 29)
    })

    test('many async deliveries written at once each get their own sequence number and are stored whole, a duplicate among them too', async () => {
      await storage.write([{ op: 'delivery.insert', delivery: delivery('d-many-old', { dedupKey: 'many-dup' }) }])
      const results = await Promise.all([
        ...Array.from({ length: 40 }, (_, i) => storage.write([{ op: 'delivery.insert', delivery: delivery(`d-many-${i}`, { dedupKey: `many-${i}`, body: Buffer.from(`{"n":${i}}`) }) }])),
        storage.write([{ op: 'delivery.insert', delivery: delivery('d-many-again', { dedupKey: 'many-dup' }) }]),
      ])
      const seqs = results.slice(0, 40).map(([r]) => r.seq)
      assert.ok(seqs.every((seq) => typeof seq === 'number'))
      assert.equal(new Set(seqs).size, 40)
      assert.equal(results[40][0].duplicate?.id, 'd-many-old')
      assert.equal((await storage.getDelivery('d-many-again')), undefined)
      const stored = await storage.getDelivery('d-many-17')
      assert.equal(stored?.body?.toString(), '{"n":17}')
      assert.equal(stored?.seq, seqs[17])
    })

    test('updates, listing, text search and unfinished deliveries', async () => {
      await storage.write([{ op: 'delivery.insert', delivery: delivery('d-list', { plugin: 'lister', body: Buffer.from('needle in body') }) }])
      await storage.write([{ op: 'delivery.update', id: 'd-list', patch: { status: 'done', responseStatus: 200, responseBody: '{}', attempts: 1, finishedAt: Date.now() } }])
      const row = await storage.getDelivery('d-list')
      assert.equal(row?.status, 'done')
      assert.equal(row?.responseStatus, 200)
      assert.deepEqual((await storage.listDeliveries({ plugin: 'lister' })).map((d) => d.id), ['d-list'])
      assert.deepEqual((await storage.listDeliveries({ text: 'needle' })).map((d) => d.id), ['d-list'])
      const unfinished = await storage.unfinishedDeliveries(1000)
      assert.ok(unfinished.every((d) => d.status === 'queued' || d.status === 'processing'))
      assert.ok(!unfinished.some((d) => d.id === 'd-list'))
    })

    test('outbox messages, attempts, counts and unfinished order', async () => {
      const now = Date.now()
      await storage.write([
        {
          op: 'outbox.insert',
          messages: [1, 2, 3].map((n) => ({ id: `m-${n}`, chatKey: 'test-room', message: { text: `hello ${n}` }, plugin: 'p', deliveryId: null, createdAt: now })),
        },
      ])
      await storage.write([
        { op: 'outbox.update', id: 'm-1', patch: { state: 'delivered', attempts: 1, deliveredAt: now } },
        { op: 'outbox.attempt', attempt: { messageId: 'm-1', at: now, ok: true, httpStatus: 200, error: null, durationMs: 3.5 } },
      ])
      await storage.write([{ op: 'outbox.update', id: 'm-2', patch: { state: 'dead', attempts: 5, lastError: 'gone' } }])
      assert.deepEqual((await storage.unfinishedMessages(10)).map((m) => m.id), ['m-3'])
      assert.deepEqual([...(await storage.pendingCounts(['test-room', 'test-none']))], [['test-room', 1]])
      const m3 = await storage.getMessage('m-3')
      assert.deepEqual((await storage.pendingForChat('test-room', 0, 10)).map((m) => m.id), ['m-3'])
      assert.deepEqual(await storage.pendingForChat('test-room', m3!.seq, 10), [], 'nothing after the last seq read')
      assert.deepEqual((await storage.messageAttempts('m-1')).map((a) => [a.ok, a.httpStatus, a.durationMs]), [[true, 200, 3.5]])
      const counts = await storage.outboxCounts()
      assert.equal(counts.delivered, 1)
      assert.equal(counts.dead, 1)
      assert.equal(counts.pending, 1)
      assert.deepEqual((await storage.getMessage('m-3'))?.message, { text: 'hello 3' })
      assert.deepEqual((await storage.listMessages({ state: 'dead' })).map((m) => m.id), ['m-2'])
    })

    test('key-value store: scopes, prefixes with % and _, delete', async () => {
      await storage.write([
        { op: 'kv.set', plugin: 'p', scope: '', key: 'a%_1', value: '1' },
        { op: 'kv.set', plugin: 'p', scope: '', key: 'a%_2', value: '2' },
        { op: 'kv.set', plugin: 'p', scope: '', key: 'ab', value: '3' },
        { op: 'kv.set', plugin: 'p', scope: 'chat\u001fuser', key: 'a%_1', value: '4' },
      ])
      await storage.write([{ op: 'kv.set', plugin: 'p', scope: '', key: 'a%_1', value: '10' }])
      assert.deepEqual(await storage.kvList('p', '', 'a%_'), [
        { key: 'a%_1', value: '10' },
        { key: 'a%_2', value: '2' },
      ])
      assert.equal(await storage.kvGet('p', 'chat\u001fuser', 'a%_1'), '4')
      const [deleted] = await storage.write([{ op: 'kv.delete', plugin: 'p', scope: '', key: 'ab' }])
      assert.equal(deleted.changes, 1)
      assert.equal(await storage.kvGet('p', '', 'ab'), undefined)
    })

    test('key-value compare-and-set: writes only over the expected text, or only when absent', async () => {
      const cas = (expected: string | null, value: string) => storage.write([{ op: 'kv.cas', plugin: 'p', scope: '', key: 'cas', expected, value }])
      assert.equal((await cas(null, '1'))[0].changes, 1, 'absent: written')
      assert.equal((await cas(null, '2'))[0].changes, 0, 'present now: an insert-if-absent is refused')
      assert.equal((await cas('0', '2'))[0].changes, 0, 'not the expected value: refused')
      assert.equal(await storage.kvGet('p', '', 'cas'), '1')
      assert.equal((await cas('1', '2'))[0].changes, 1, 'the expected value: replaced')
      assert.equal(await storage.kvGet('p', '', 'cas'), '2')
      // Two writers that read the same value: only the first one's write lands, in one batch or two.
      const both = await Promise.all([cas('2', '3a'), cas('2', '3b')])
      assert.deepEqual(both.map(([r]) => r.changes).sort(), [0, 1])
      assert.ok(['3a', '3b'].includes((await storage.kvGet('p', '', 'cas'))!))
    })

    test('plugin states and web rooms (a message id is posted once)', async () => {
      await storage.write([{ op: 'pluginState.set', plugin: 'x', enabled: false }])
      assert.equal((await storage.pluginStates()).x, false)
      const [first] = await storage.write([{ op: 'web.insert', room: 'lobby', message: { text: 'hi' }, outboxId: 'o-1', createdAt: 1 }])
      const [again] = await storage.write([{ op: 'web.insert', room: 'lobby', message: { text: 'hi' }, outboxId: 'o-1', createdAt: 2 }])
      assert.equal(first.changes, 1)
      assert.equal(again.changes, 0)
      assert.deepEqual((await storage.webMessages('lobby')).map((m) => m.message), [{ text: 'hi' }])
      assert.equal((await storage.webRooms()).find((r) => r.room === 'lobby')?.count, 1)
    })

    test('tasks are stored, patched and listed while unfinished', async () => {
      await storage.write([{ op: 'task.insert', task: { id: 't-1', plugin: 'p', kind: 'job', params: { n: 1 }, policy: 'retry', maxAttempts: 3, createdAt: 5 } }])
      await storage.write([{ op: 'task.update', id: 't-1', patch: { status: 'running', progress: 0.5, progressMessage: 'half', attempts: 1, startedAt: 6 } }])
      const task = await storage.getTask('t-1')
      assert.equal(task?.status, 'running')
      assert.equal(task?.progress, 0.5)
      assert.deepEqual(task?.params, { n: 1 })
      assert.deepEqual((await storage.unfinishedTasks(10)).map((t) => t.id), ['t-1'])
      await storage.write([{ op: 'task.update', id: 't-1', patch: { status: 'completed', result: { ok: true }, finishedAt: 7 } }])
      assert.deepEqual((await storage.getTask('t-1'))?.result, { ok: true })
      assert.deepEqual((await storage.listTasks({ plugin: 'p', status: 'completed' })).map((t) => t.id), ['t-1'])
      assert.deepEqual(await storage.listTasks({ plugin: 'nobody' }), [])
      assert.deepEqual(await storage.unfinishedTasks(10), [])
    })

    test('pruning keeps unfinished deliveries and the newest ones', async () => {
      const old = Date.now() - 10 * 86_400_000
      for (let i = 0; i < 5; i++) {
        await storage.write([{ op: 'delivery.insert', delivery: delivery(`d-old-${i}`, { plugin: 'prune', status: 'done', receivedAt: old }) }])
      }
      await storage.write([{ op: 'delivery.insert', delivery: delivery('d-old-queued', { plugin: 'prune', status: 'queued', receivedAt: old }) }])
      const [result] = await storage.write([{ op: 'deliveries.prune', keep: 100_000, olderThan: Date.now() - 86_400_000 }])
      assert.ok((result.changes ?? 0) >= 5)
      assert.deepEqual((await storage.listDeliveries({ plugin: 'prune' })).map((d) => d.id), ['d-old-queued'])
    })

    test('a delivery keeps its event; its outcome follows its status, the handler\'s word and its messages, and both filter', async () => {
      const done = { status: 'done' as const, responseStatus: 200, finishedAt: Date.now() }
      const msg = (id: string, deliveryId: string, deadReason?: string) => ({ id, chatKey: 'test-x', message: { text: id }, plugin: 'oc', deliveryId, createdAt: Date.now(), ...(deadReason ? { deadReason } : {}) })
      await storage.write([{ op: 'delivery.insert', delivery: delivery('oc-pending', { plugin: 'oc', event: 'push' }) }])
      await storage.write([{ op: 'delivery.insert', delivery: delivery('oc-sent', { plugin: 'oc', event: 'push', ...done }) }, { op: 'outbox.insert', messages: [msg('m-sent-1', 'oc-sent'), msg('m-sent-2', 'oc-sent')] }])
      await storage.write([{ op: 'delivery.insert', delivery: delivery('oc-filtered', { plugin: 'oc', event: 'push', ...done, outcome: 'filtered', outcomeReason: 'branch dev is not in filters.branches' }) }])
      await storage.write([{ op: 'delivery.insert', delivery: delivery('oc-quiet', { plugin: 'oc', event: 'ping', ...done }) }])
      await storage.write([{ op: 'delivery.insert', delivery: delivery('oc-failed', { plugin: 'oc', event: 'issues', status: 'failed', error: 'Error: boom' }) }])
      await storage.write([{ op: 'delivery.insert', delivery: delivery('oc-dead', { plugin: 'oc', event: 'issues', ...done }) }, { op: 'outbox.insert', messages: [msg('m-dead', 'oc-dead', 'no such adapter')] }])
      const byId = new Map((await storage.listDeliveries({ plugin: 'oc' })).map((d) => [d.id, d]))
      assert.deepEqual(
        [...byId.values()].map((d) => [d.id, d.event, d.outcome, d.outcomeReason]),
        [
          ['oc-dead', 'issues', 'dead', null],
          ['oc-failed', 'issues', 'failed', 'Error: boom'],
          ['oc-quiet', 'ping', 'ignored', 'the handler sent no message'],
          ['oc-filtered', 'push', 'filtered', 'branch dev is not in filters.branches'],
          ['oc-sent', 'push', 'delivered', null],
          ['oc-pending', 'push', 'pending', null],
        ],
      )
      assert.equal((await storage.getDelivery('oc-filtered'))?.outcome, 'filtered')
      assert.deepEqual((await storage.listDeliveries({ plugin: 'oc', event: 'push' })).map((d) => d.id), ['oc-filtered', 'oc-sent', 'oc-pending'])
      assert.deepEqual((await storage.listDeliveries({ plugin: 'oc', event: 'push', outcome: 'filtered' })).map((d) => d.id), ['oc-filtered'])
      assert.deepEqual((await storage.listDeliveries({ plugin: 'oc', outcome: 'dead' })).map((d) => d.id), ['oc-dead'])
      assert.deepEqual((await storage.listMessages({ deliveryId: 'oc-sent' })).map((m) => m.id).sort(), ['m-sent-1', 'm-sent-2'])
      const dead = await storage.getMessage('m-dead')
      assert.equal(dead?.state, 'dead')
      assert.equal(dead?.lastError, 'no such adapter')
      // A handler that finished later is marked by a patch, as the inbox writes it.
      await storage.write([{ op: 'delivery.update', id: 'oc-pending', patch: { ...done, outcome: 'ignored', outcomeReason: 'stale state' } }])
      assert.deepEqual([(await storage.getDelivery('oc-pending'))?.outcome, (await storage.getDelivery('oc-pending'))?.outcomeReason], ['ignored', 'stale state'])
    })

    test('many concurrent units share transactions and all commit', async () => {
      const writes = Array.from({ length: 300 }, (_, i) =>
        storage.write([{ op: 'kv.set', plugin: 'burst', scope: '', key: `k${String(i).padStart(3, '0')}`, value: String(i) }]),
      )
      await Promise.all(writes)
      assert.equal((await storage.kvList('burst', '', 'k')).length, 300)
    })
  })
}

describe('postgres coordination between processes', async () => {
  const { url, schema } = freshSchemaUrl()
  const a = createStorage(url)
  const b = createStorage(url)
  await a.open()
  await b.open()
  after(async () => {
    await a.close()
    await b.close()
    await dropSchema(schema)
  })

  test('a delivery leased to one process is taken over only after its lease expires, and the stale owner cannot finish it', async () => {
    await a.write([{ op: 'delivery.insert', delivery: delivery('lease-1') }])
    assert.deepEqual(await b.coordinator!.claimExpiredDeliveries(10), [])
    // Expire A's lease as if A had died.
    const pool = (b as unknown as { pool: { query: (s: string, v: unknown[]) => Promise<unknown> } }).pool
    await pool.query('UPDATE deliveries SET lease_until = 0 WHERE id = $1', ['lease-1'])
    const claimed = await b.coordinator!.claimExpiredDeliveries(10)
    assert.deepEqual(claimed.map((d) => d.id), ['lease-1'])
    await assert.rejects(a.write([{ op: 'delivery.update', id: 'lease-1', patch: { status: 'done' } }]), /lease lost/)
    await b.write([{ op: 'delivery.update', id: 'lease-1', patch: { status: 'done' } }])
    assert.equal((await a.getDelivery('lease-1'))?.status, 'done')
  })

  test('a delivery waits in order only for earlier first attempts of its ordering key, not its own process\'s committing ones', async () => {
    const key = 'p\u001f/hook\u001fordered'
    await a.write([{ op: 'delivery.insert', delivery: delivery('ord-1', { orderingKey: key }) }])
    await b.write([{ op: 'delivery.insert', delivery: delivery('ord-2', { orderingKey: key }) }])
    await b.write([{ op: 'delivery.insert', delivery: delivery('ord-other', { orderingKey: 'p\u001f/hook\u001fother' }) }])
    assert.equal(await a.coordinator!.earlierInOrder('ord-1', key, []), false, 'the first of its key goes')
    assert.equal(await b.coordinator!.earlierInOrder('ord-2', key, []), true, 'the second waits for the first')
    assert.equal(await b.coordinator!.earlierInOrder('ord-other', 'p\u001f/hook\u001fother', []), false, 'another key does not wait')
    assert.equal(await b.coordinator!.earlierInOrder('ord-2', key, ['ord-1']), false, 'a committing one is ahead already')
    await a.write([{ op: 'delivery.update', id: 'ord-1', patch: { status: 'queued', attempts: 1, nextAttemptAt: 1 } }])
    assert.equal(await b.coordinator!.earlierInOrder('ord-2', key, []), false, 'a retry of the first does not hold the key')
  })

  test('a task is leased to the process that created it; another takes it over only after expiry, and the stale owner is refused', async () => {
    await a.write([{ op: 'task.insert', task: { id: 'task-lease', plugin: 'p', kind: 'job', params: {}, policy: 'retry', maxAttempts: 3, createdAt: 1 } }])
    assert.deepEqual(await b.coordinator!.claimExpiredTasks(['p\u001fjob'], 10), [])
    const pool = (b as unknown as { pool: { query: (s: string, v: unknown[]) => Promise<unknown> } }).pool
    await pool.query('UPDATE tasks SET lease_until = 0 WHERE id = $1', ['task-lease'])
    assert.deepEqual(await b.coordinator!.claimExpiredTasks(['p\u001fother'], 10), [], 'only kinds the process can run')
    assert.deepEqual((await b.coordinator!.claimExpiredTasks(['p\u001fjob'], 10)).map((t) => t.id), ['task-lease'])
    await assert.rejects(a.write([{ op: 'task.update', id: 'task-lease', patch: { status: 'running' } }]), /lease lost/)
    await b.write([{ op: 'task.update', id: 'task-lease', patch: { status: 'completed' } }])
    assert.equal((await a.getTask('task-lease'))?.status, 'completed')
  })

  test('one process at a time dispatches a chat; a released chat can be taken', async () => {
    assert.equal(await a.coordinator!.acquireChat('test-room'), true)
    assert.equal(await b.coordinator!.acquireChat('test-room'), false)
    assert.equal(await a.coordinator!.acquireChat('test-room'), true)
    await a.coordinator!.releaseChat('test-room')
    assert.equal(await b.coordinator!.acquireChat('test-room'), true)
  })

  test('orphan chats are the ones with pending messages and no live dispatcher', async () => {
    await a.write([{ op: 'outbox.insert', messages: [{ id: 'orph-1', chatKey: 'test-orphan', message: { text: 'x' }, plugin: null, deliveryId: null, createdAt: 1 }] }])
    assert.ok((await b.coordinator!.orphanChats(100)).includes('test-orphan'))
    assert.equal(await a.coordinator!.acquireChat('test-orphan'), true)
    assert.ok(!(await b.coordinator!.orphanChats(100)).includes('test-orphan'))
    assert.deepEqual((await b.pendingForChat('test-orphan', 0, 10)).map((m) => m.id), ['orph-1'])
  })

  test('a shared token bucket paces both processes together', async () => {
    const limit = { count: 4, intervalMs: 60_000 }
    const waits = []
    for (let i = 0; i < 3; i++) waits.push(await a.coordinator!.takeToken('bucket', limit), await b.coordinator!.takeToken('bucket', limit))
    assert.deepEqual(waits.slice(0, 4), [0, 0, 0, 0])
    assert.ok(waits[4] > 0 && waits[5] > waits[4], `later takers wait longer: ${waits}`)
  })

  test('messages committed by one process are announced to the others', async () => {
    const seen: string[][] = []
    const stop = await b.coordinator!.onMessages((keys) => seen.push(keys))
    await a.write([{ op: 'outbox.insert', messages: [{ id: 'notify-1', chatKey: 'test-notify', message: { text: 'x' }, plugin: null, deliveryId: null, createdAt: 1 }] }])
    for (let i = 0; i < 100 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 20))
    stop()
    assert.deepEqual(seen, [['test-notify']])
  })
})
