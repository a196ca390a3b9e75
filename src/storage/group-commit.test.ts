// Group commit: many concurrent webhook requests share transactions, and each is answered only after its own commit;
// the committer's batching, ordering and failure isolation on their own.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { createTestHost } from '../testing/index.js'
import { gate, openReader, turns, waitFor } from '../testing/helpers.js'
import { definePlugin } from '../index.js'
import { GroupCommitter, type UnitOutcome } from './group-commit.js'
import type { SqliteStorage } from './sqlite/sqlite-storage.js'
import type { WriteOp } from './types.js'

const plugin = definePlugin({
  name: 'gc',
  version: '1.0.0',
  setup(p) {
    p.mountWebhook('/sync', async (req) => {
      await p.send('test-gc', `m ${req.deliveryId}`)
      return { id: req.deliveryId }
    }, { public: true })
    p.mountWebhook('/async', () => ({ ok: true }), { public: true, mode: 'async' })
  },
})

test('100 concurrent requests share transactions, and each 2xx is already readable from an independent connection', async () => {
  const t = await createTestHost({ plugins: [plugin] })
  const reader = openReader(join(t.dir, 'hookcat.db'))
  try {
    const storage = t.host.storage as SqliteStorage
    const before = storage.writeStats
    const delivery = reader.prepare('SELECT status FROM deliveries WHERE id = ?')
    const message = reader.prepare('SELECT COUNT(*) AS n FROM outbox WHERE delivery_id = ?')
    const missing: string[] = []
    // Checked the moment each answer arrives, before any other await: the commit happened before the answer.
    await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const mode = i % 2 ? 'sync' : 'async'
        const r = await t.webhook('gc', `/${mode}`, { body: { i } })
        const id = r.json().id as string
        const row = delivery.get(id) as { status: string } | undefined
        if (r.status >= 300 || !row) missing.push(`${mode} ${i}: ${r.status} ${row?.status}`)
        else if (mode === 'sync' && (row.status !== 'done' || (message.get(id) as { n: number }).n !== 1)) missing.push(`sync ${i}: ${row.status}`)
      }),
    )
    assert.deepEqual(missing, [])
    const after = storage.writeStats
    const units = after.units - before.units
    const batches = after.batches - before.batches
    // 100 deliveries (plus the async results) in fewer transactions than units: requests shared them.
    assert.ok(units >= 100, `${units} units`)
    assert.ok(batches < units, `${units} units were written in ${batches} batches`)

    // Units that arrive together share one transaction outright (once the background work above is done).
    await waitFor(async () => (await storage.outboxCounts()).delivered === 50 && t.host.inbox.backlog === 0, 'the background work to finish')
    await turns()
    const together = storage.writeStats
    await Promise.all(Array.from({ length: 200 }, (_, i) => storage.write([{ op: 'kv.set', plugin: 'gc', scope: '', key: `k${i}`, value: String(i) }])))
    assert.deepEqual(
      { units: storage.writeStats.units - together.units, batches: storage.writeStats.batches - together.batches },
      { units: 200, batches: 1 },
    )
    assert.equal((reader.prepare("SELECT COUNT(*) AS n FROM kv WHERE plugin = 'gc'").get() as { n: number }).n, 200)
  } finally {
    reader.close()
    await t.close()
  }
})

test('the committer batches what arrives while a flush is in flight, keeps order, and fails only the unit that failed', async () => {
  const flushes: string[][] = []
  let release = gate()
  const committer = new GroupCommitter({
    maxBatch: 3,
    async flush(units: WriteOp[][]): Promise<UnitOutcome[]> {
      const keys = units.map((u) => (u[0] as { key: string }).key)
      flushes.push(keys)
      await release.wait
      return keys.map((k) => (k.startsWith('bad') ? { error: `refused ${k}` } : { results: [{ ok: true, changes: 1 }] }))
    },
  })
  const unit = (key: string): WriteOp[] => [{ op: 'kv.set', plugin: 'p', scope: '', key, value: '1' }]
  const settled: string[] = []
  const track = (key: string) =>
    committer.write(unit(key)).then(
      () => settled.push(`ok ${key}`),
      (e: Error) => settled.push(`error ${key}: ${e.message}`),
    )
  const first = track('a')
  await new Promise((r) => setImmediate(r))
  assert.deepEqual(flushes, [['a']], 'the first unit is flushed alone')
  const rest = ['b', 'bad1', 'c', 'd', 'e'].map(track)
  assert.equal(committer.pending, 5, 'units wait while a flush is in flight')
  release.open()
  release = gate()
  release.open()
  await Promise.all([first, ...rest])
  assert.deepEqual(flushes, [['a'], ['b', 'bad1', 'c'], ['d', 'e']], 'waiting units share the next flushes, at most maxBatch each, in order')
  assert.deepEqual(settled, ['ok a', 'ok b', 'error bad1: refused bad1', 'ok c', 'ok d', 'ok e'])
  await committer.close()
  await assert.rejects(committer.write(unit('late')), /closed/)
})

test('a unit that fails in SQLite rolls back alone; the units committed beside it stay', async () => {
  const t = await createTestHost({})
  try {
    const s = t.host.storage
    const id = 'dup-message-id'
    const message = { id, chatKey: 'test-x', message: { text: 'x' }, plugin: null, deliveryId: null, createdAt: Date.now() }
    await s.write([{ op: 'outbox.insert', messages: [message] }])
    const [good, bad, alsoGood] = await Promise.allSettled([
      s.write([{ op: 'kv.set', plugin: 'p', scope: '', key: 'one', value: '1' }]),
      s.write([
        { op: 'kv.set', plugin: 'p', scope: '', key: 'rolled-back', value: '2' },
        { op: 'outbox.insert', messages: [message] },
      ]),
      s.write([{ op: 'kv.set', plugin: 'p', scope: '', key: 'three', value: '3' }]),
    ])
    assert.equal(good.status, 'fulfilled')
    assert.equal(bad.status, 'rejected')
    assert.equal(alsoGood.status, 'fulfilled')
    assert.equal(await s.kvGet('p', '', 'one'), '1')
    assert.equal(await s.kvGet('p', '', 'three'), '3')
    assert.equal(await s.kvGet('p', '', 'rolled-back'), undefined, 'the failed unit left nothing behind')
  } finally {
    await t.close()
  }
})
