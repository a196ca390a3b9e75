// Issue 13.2: a flood of refused requests is counted, not stored one by one — the database stays small, and the counts
// show in /metrics, the admin API and `hookcat deliveries --refusals`.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { createTestHost } from '../../testing/index.js'
import { securityConfig, securityPlugin } from '../../../test/fixtures/security/plugin.js'
import { runCli, tempProject } from '../../cli/test-fixtures/cli-process.js'
import { DEFAULT_SAMPLING } from './refusals.js'

const FLOOD = 2000
const MiB = 1024 * 1024

function dbBytes(dir: string): number {
  const size = (name: string) => {
    try {
      return statSync(join(dir, name)).size
    } catch {
      return 0
    }
  }
  return size('hookcat.db') + size('hookcat.db-wal')
}

test(`${FLOOD} bad-signature requests with large headers grow the database by at most 4 MiB, and every one is counted`, async () => {
  const sec = securityPlugin('sec')
  const t = await createTestHost({ plugins: [sec.plugin], config: securityConfig('sec') })
  const project = tempProject(`storage: sqlite:${join(t.dir, 'hookcat.db')}\nbuiltins: false\n`)
  try {
    // Something stored first, so that the size before is that of a working database, not of an empty file.
    await t.webhook('sec', '/bearer', { body: {}, headers: { authorization: 'Bearer bearer-new-Mq9Ot4Ur6Ei1' } })
    const before = dbBytes(t.dir)
    // Headers near the 16 KiB limit: each refusal used to store them all.
    const padding = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`x-padding-${i}`, 'p'.repeat(1000)]))
    const headers = { ...padding, 'x-hub-signature-256': `sha256=${'0'.repeat(64)}`, 'content-type': 'application/json' }
    let next = 0
    const statuses = new Map<number, number>()
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < FLOOD) {
          next++
          const r = await t.webhook('sec', '/github', { body: { n: next }, headers })
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1)
        }
      }),
    )
    assert.deepEqual([...statuses], [[401, FLOOD]])
    await t.host.ingress.refusals.flush()
    // The last sample rows are written just after their answers.
    await new Promise((r) => setTimeout(r, 300))
    const growth = dbBytes(t.dir) - before
    process.stdout.write(`# database growth under ${FLOOD} refused requests: ${(growth / MiB).toFixed(2)} MiB\n`)
    assert.ok(growth <= 4 * MiB, `grew by ${growth} bytes`)

    // A bounded sample is kept in the delivery log, to see what the refusals look like.
    const rows = await t.host.storage.listDeliveries({ plugin: 'sec', status: 'rejected', limit: 500 })
    assert.ok(rows.length >= 1 && rows.length <= DEFAULT_SAMPLING.burst + 1, `${rows.length} sample rows`)
    assert.equal(rows[0].error?.startsWith('SIGNATURE_INVALID'), true)
    assert.ok(rows.every((r) => r.body === null), 'no body of a refused request is kept')
    // After a quiet minute, one more sample; the next refusal is only counted.
    t.clock.advance(61_000)
    for (let i = 0; i < 2; i++) await t.webhook('sec', '/github', { body: {}, headers })
    // Sample rows are written after the answer: wait for them (bounded), then check that exactly one was added.
    let after = 0
    for (let i = 0; i < 100 && after <= rows.length; i++) {
      after = (await t.host.storage.listDeliveries({ plugin: 'sec', status: 'rejected', limit: 500 })).length
      if (after <= rows.length) await new Promise((r) => setTimeout(r, 20))
    }
    await new Promise((r) => setTimeout(r, 200))
    assert.equal((await t.host.storage.listDeliveries({ plugin: 'sec', status: 'rejected', limit: 500 })).length, rows.length + 1)

    const metrics = (await t.request('/metrics')).text
    const seen = FLOOD + 2
    assert.match(metrics, new RegExp(`^hookcat_webhook_refusals_total\\{plugin="sec",route="/github",reason="SIGNATURE_INVALID"\\} ${seen}$`, 'm'))
    const api = (await t.admin('/api/admin/refusals?plugin=sec')).json()
    assert.equal(api.total, seen)
    assert.deepEqual(
      api.refusals.map((r: Record<string, unknown>) => [r.route, r.reason, r.status, r.count]),
      [['/github', 'SIGNATURE_INVALID', 401, seen]],
    )
    assert.equal((await t.admin('/api/admin/refusals?nope=1')).status, 400)

    await t.host.ingress.refusals.flush()
    const cli = await runCli(['deliveries', '--refusals', '--plugin', 'sec'], { cwd: project.dir })
    assert.equal(cli.code, 0, cli.stderr)
    assert.match(cli.stdout, new RegExp(`sec\\s+/github\\s+SIGNATURE_INVALID\\s+401\\s+${seen}`))
    const listing = await runCli(['deliveries', '--plugin', 'sec'], { cwd: project.dir })
    assert.match(listing.stdout, new RegExp(`${seen} refused requests counted`))
  } finally {
    await t.close()
    project.cleanup()
  }
})

test('refusal counts survive a restart: they are in storage, not only in memory', async () => {
  const sec = securityPlugin('sec')
  const first = await createTestHost({ plugins: [sec.plugin], config: securityConfig('sec') })
  const dir = first.dir
  for (let i = 0; i < 25; i++) await first.webhook('sec', '/bearer', { body: {}, headers: { authorization: 'Bearer nope-nope-nope' } })
  await first.host.stop()
  const second = await createTestHost({ plugins: [securityPlugin('sec').plugin], config: securityConfig('sec'), dir })
  try {
    const api = (await second.admin('/api/admin/refusals')).json()
    assert.deepEqual(api.refusals.map((r: Record<string, unknown>) => [r.plugin, r.route, r.reason, r.count]), [['sec', '/bearer', 'UNAUTHORIZED', 25]])
  } finally {
    await second.close()
    await first.close().catch(() => undefined)
  }
})
