// plugin.store compare-and-set across three processes on PostgreSQL: forge event ordering and Alertmanager's duplicate window hold.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { createStorage } from '../../src/storage/index.js'
import { dropSchema, freshSchemaUrl } from '../support/postgres.js'

const CHILD = fileURLToPath(new URL('./cas-child.ts', import.meta.url))
const PROCESSES = 3
const RANKS = 60

function run(url: string, ranks: number[], go: number): Promise<{ accepted: number[]; first: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, url, ranks.join(','), String(go)], { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.on('data', (chunk) => (out += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.on('exit', (code) => {
      clearTimeout(timer)
      if (code === 0) resolve(JSON.parse(out))
      else reject(new Error(`child exited with ${code}`))
    })
  })
}

test('three processes advancing one run and sighting one notification at once: the newest state wins, and one sighting is first', async () => {
  const { url, schema } = freshSchemaUrl()
  const setup = createStorage(url)
  await setup.open() // migrates the schema once, before the processes race
  try {
    // Ranks 1..60 dealt round-robin, so that every process holds low and high ones.
    const hands = Array.from({ length: PROCESSES }, (_, p) => Array.from({ length: RANKS / PROCESSES }, (_, i) => i * PROCESSES + p + 1))
    const go = Date.now() + 3000
    const results = await Promise.all(hands.map((ranks) => run(url, ranks, go)))

    const stored = JSON.parse((await setup.kvGet('forge', '', 'order:run-1'))!) as { rank: number }
    assert.equal(stored.rank, RANKS, 'an older state never overwrote the newest one')
    const accepted = results.flatMap((r) => r.accepted)
    assert.ok(accepted.includes(RANKS), 'the newest state was accepted')
    assert.equal(new Set(accepted).size, accepted.length, 'no state was accepted twice')
    assert.equal(results.reduce((n, r) => n + r.first, 0), 1, 'exactly one of the 60 sightings was the first, across the three processes')
  } finally {
    await setup.close()
    await dropSchema(schema)
  }
})
