// The work queue's in-order lines: one run at a time per in-order kind, in rank order, a waiting head keeps its turn.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createLogger } from '../../util/logger.js'
import { WorkQueue, type RunOutcome } from './queue.js'

function queue(run: (item: string, release: () => void) => Promise<RunOutcome<string>>) {
  return new WorkQueue<string>({ name: 'test', logger: createLogger({ level: 'silent' }), now: Date.now, concurrency: 8, inOrder: (kind) => kind.startsWith('line'), run })
}

// The queue's timers are unref'd: these waits keep the test process alive.
const settled = () => new Promise((r) => setTimeout(r, 30))

test('work of an in-order kind runs one at a time, in the order added; other kinds run beside it', async () => {
  const started: string[] = []
  const gates = new Map<string, () => void>()
  const q = queue((item) => {
    started.push(item)
    return new Promise<void>((resolve) => gates.set(item, resolve))
  })
  for (const id of ['a', 'b', 'c']) q.add(id, 'line', id)
  q.add('x', 'free', 'x')
  q.add('y', 'free', 'y')
  await settled()
  assert.deepEqual(started, ['a', 'x', 'y'], 'only the head of the line runs; unordered work runs at once')
  gates.get('a')!()
  await settled()
  assert.deepEqual(started, ['a', 'x', 'y', 'b'])
  gates.get('b')!()
  await settled()
  gates.get('c')!()
  await settled()
  assert.deepEqual(started, ['a', 'x', 'y', 'b', 'c'])
  assert.equal(q.size, 2)
  gates.get('x')!()
  gates.get('y')!()
  await q.stop(100)
})

test('a run that releases its slot early passes its turn; a head waiting with keepTurn holds the line, behind work ranked earlier', async () => {
  const started: string[] = []
  let waits = 2
  const q = queue(async (item, release) => {
    started.push(item)
    if (item === 'b' && waits-- > 0) return { at: Date.now() + 10, keepTurn: true }
    release()
    await new Promise((r) => setTimeout(r, 20))
  })
  q.add('b', 'line', 'b', 0, 2)
  q.add('c', 'line', 'c', 0, 3)
  await new Promise((r) => setTimeout(r, 5))
  // Taken over from another process: ranked before the waiting head, it goes first.
  q.add('a', 'line', 'a', 0, 1)
  await new Promise((r) => setTimeout(r, 150))
  assert.equal(started.filter((s) => s === 'c').length, 1)
  assert.deepEqual(started.filter((s, i) => started.indexOf(s) === i), ['b', 'a', 'c'], 'first runs in rank order once the head waited')
  assert.ok(started.indexOf('c') > started.lastIndexOf('b'), 'c ran only after b finished waiting and released')
  assert.ok(started.indexOf('a') < started.lastIndexOf('b'), 'a, ranked earlier, ran before b took its turn')
  await q.stop(100)
})
