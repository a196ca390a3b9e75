// Inserting deliveries into PostgreSQL: one column list and value order for the single and the multi-row statement.
import type { PoolClient } from 'pg'
import type { DeliveryInsert, WriteOp, WriteResult } from '../types.js'

const COLUMNS = `id, plugin, route, path, method, headers, query, body, body_size, client_ip, mode, status, dedup_key,
   response_status, response_body, error, attempts, next_attempt_at, received_at, finished_at, duration_ms, lease_owner, lease_until,
   event, outcome, outcome_reason, ordering_key`
const WIDTH = 27

/** The values of one delivery row, in COLUMNS order; a queued (async) delivery is leased to the process storing it. */
export function deliveryValues(d: DeliveryInsert, owner: string, leaseMs: number): unknown[] {
  const queued = d.status === 'queued'
  return [
    d.id, d.plugin, d.route, d.path, d.method, JSON.stringify(d.headers), d.query, d.body, d.bodySize, d.clientIp, d.mode, d.status,
    d.dedupKey, d.responseStatus, d.responseBody, d.error, d.attempts ?? 0, d.nextAttemptAt, d.receivedAt, d.finishedAt ?? null,
    d.durationMs ?? null, queued ? owner : null, queued ? Date.now() + leaseMs : null,
    d.event ?? null, d.outcome ?? null, d.outcomeReason ?? null,
    d.orderingKey ?? null,
  ]
}

function insertSql(rows: number): string {
  const tuples = Array.from({ length: rows }, (_, r) => `(${Array.from({ length: WIDTH }, (_, c) => `$${r * WIDTH + c + 1}`).join(',')})`)
  return `INSERT INTO deliveries (${COLUMNS}) VALUES ${tuples.join(',')} ON CONFLICT DO NOTHING RETURNING id, seq`
}

export const INSERT_DELIVERY = insertSql(1)

/** Rows per multi-row statement (PostgreSQL takes at most 65535 parameters). */
const MAX_ROWS = 1000

/**
 * The units of a batch that are one delivery.insert each (async webhooks being acknowledged) go in one statement per
 * 1000, instead of one round trip each. Answers the results of the units inserted; a unit whose row conflicted (a
 * duplicate) is left out, to be applied on its own, which finds and reports the duplicate.
 */
export async function insertDeliveries(client: PoolClient, units: WriteOp[][], owner: string, leaseMs: number): Promise<Map<number, WriteResult[]>> {
  const done = new Map<number, WriteResult[]>()
  const lone: Array<{ index: number; delivery: DeliveryInsert }> = []
  units.forEach((unit, index) => {
    if (unit.length === 1 && unit[0].op === 'delivery.insert') lone.push({ index, delivery: unit[0].delivery })
  })
  if (lone.length < 2) return done
  for (let start = 0; start < lone.length; start += MAX_ROWS) {
    const slice = lone.slice(start, start + MAX_ROWS)
    const values = slice.flatMap((u) => deliveryValues(u.delivery, owner, leaseMs))
    const inserted = await client.query<{ id: string; seq: number }>(insertSql(slice.length), values)
    const seqs = new Map(inserted.rows.map((r) => [r.id, Number(r.seq)]))
    for (const u of slice) {
      const seq = seqs.get(u.delivery.id)
      if (seq !== undefined) done.set(u.index, [{ ok: true, seq }])
    }
  }
  return done
}
