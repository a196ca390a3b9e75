// Crash test: 1,000 async webhooks while the platform fails first attempts and hookcat is SIGKILLed and restarted;
// every acknowledged event's message arrives, in order per chat, none twice except one in flight per kill per chat.
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { fakeOneBot } from '../fakes/onebot.js'

const CHATS = 20
const PER_CHAT = 50
const KILLS = 3
// About 15 s on an idle two-core machine; the bound leaves room for a machine busy with other work.
const DEADLINE = Date.now() + 100_000

import { freePort } from '../support/ports.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

test('no acknowledged message is lost or reordered across SIGKILLs; duplicates only from calls in flight at a kill', { timeout: 115_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookcat-crash-'))
  mkdirSync(join(dir, 'plugins'))
  const fake = fakeOneBot()
  const platform = await fake.start()
  // Every third message fails its first attempt, and the first 40 calls fail outright: retries cross the kills.
  const tries = new Map<string, number>()
  let calls = 0
  fake.faultFor = (req) => {
    const text = fake.spec.textOf(req)
    const n = (tries.get(text) ?? 0) + 1
    tries.set(text, n)
    if (++calls <= 40) return calls % 2 ? 'error' : 'drop'
    if (n === 1 && Number(text.split(' ')[2]) % 3 === 0) return 'error'
    return undefined
  }
  fake.delayMs = 3
  const port = await freePort()
  const configFile = join(dir, 'hookcat.json')
  writeFileSync(
    configFile,
    JSON.stringify({
      server: { host: '127.0.0.1', port, adminToken: 'crash-test-admin-token-0001' },
      storage: `sqlite:${join(dir, 'hookcat.db')}`,
      dataDir: join(dir, 'data'),
      pluginsDir: join(dir, 'plugins'),
      log: { level: 'error' },
      // One handler at a time keeps the stored order of messages the order events were acknowledged in, per chat.
      inbox: { concurrency: 1, backoffBase: 20, backoffMax: 200 },
      outbox: { backoffBase: 20, backoffMax: 200, maxAttempts: 1000, sendTimeout: 20_000 },
      adapters: { qq: { type: 'onebot_v11', url: platform, rateLimit: { perChat: { count: 1000, interval: 1000 }, global: { count: 10000, interval: 1000 } } } },
    }),
  )

  let child: ChildProcess | undefined
  let standby: ChildProcess | undefined
  const spawnStandby = (): ChildProcess =>
    spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'server.ts'), configFile, '--standby'], { stdio: ['pipe', 'pipe', 'inherit'] })
  /** Wakes the warm standby process (it opens storage, recovers and listens), and warms the next one. */
  const start = async (): Promise<void> => {
    const proc = standby ?? spawnStandby()
    standby = undefined
    child = proc
    const ready = new Promise<void>((resolve, reject) => {
      let out = ''
      const timer = setTimeout(() => reject(new Error('hookcat did not start within 60 s')), 60_000)
      proc.stdout!.on('data', (chunk) => {
        out += String(chunk)
        if (out.includes('READY')) {
          clearTimeout(timer)
          resolve()
        }
      })
      proc.once('exit', (code) => reject(new Error(`hookcat exited with ${code} before it was ready`)))
    })
    proc.stdin!.write('go\n')
    await ready
    standby = spawnStandby()
  }
  const kill = async (): Promise<void> => {
    const proc = child!
    const exited = new Promise((r) => proc.once('exit', r))
    proc.kill('SIGKILL')
    await exited
  }

  const acked = new Set<string>()
  const send = async (chat: number, n: number): Promise<void> => {
    for (;;) {
      if (Date.now() > DEADLINE) throw new Error(`event ${chat}/${n} not acknowledged before the deadline`)
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/plugin/crash/webhook/event`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': `e-${chat}-${n}` },
          body: JSON.stringify({ chat, n }),
          signal: AbortSignal.timeout(5000),
        })
        const answer = await res.text()
        if (process.env.CRASH_DEBUG) console.error(chat, n, res.status, answer.slice(0, 200))
        if (res.status === 202 || res.status === 200) {
          acked.add(`evt ${chat} ${n}`)
          return
        }
      } catch (error) {
        // Down or killed mid-request: not acknowledged, so sent again (the idempotency key keeps it once).
        if (process.env.CRASH_DEBUG) console.error(chat, n, 'error', (error as Error).message, (error as { cause?: Error }).cause?.message)
      }
      await sleep(30)
    }
  }

  try {
    await start()
    const senders = Array.from({ length: CHATS }, async (_, chat) => {
      for (let n = 0; n < PER_CHAT; n++) await send(chat, n)
    })
    let kills = 0
    const killer = (async () => {
      for (; kills < KILLS; ) {
        await sleep(300 + Math.random() * 900)
        await kill()
        kills++
        if (process.env.CRASH_DEBUG) console.error('killed', kills, Date.now())
        await start()
        if (process.env.CRASH_DEBUG) console.error('restarted', kills, Date.now())
      }
    })()
    await Promise.all([...senders, killer])
    assert.equal(kills, KILLS)
    const tookMs = Date.now() - (DEADLINE - 100_000)
    if (process.env.CRASH_DEBUG) console.error(`acknowledged ${acked.size} events with ${kills} kills in ${tookMs} ms`)
    assert.equal(acked.size, CHATS * PER_CHAT)

    // Wait (bounded) until every acknowledged event's message has reached the platform.
    while (Date.now() < DEADLINE && !([...acked].every((t) => fake.texts().includes(t)) && fake.texts().length >= acked.size)) await sleep(100)
    const texts = fake.texts()
    const arrived = new Set(texts)
    const missing = [...acked].filter((t) => !arrived.has(t))
    assert.deepEqual(missing, [], 'every acknowledged event has its message at the platform')

    for (let chat = 0; chat < CHATS; chat++) {
      const seq = texts.filter((t) => t.startsWith(`evt ${chat} `)).map((t) => Number(t.split(' ')[2]))
      const firsts = seq.filter((n, i) => seq.indexOf(n) === i)
      assert.deepEqual(firsts, Array.from({ length: PER_CHAT }, (_, i) => i), `chat ${chat}: in order`)
      const duplicates = seq.length - firsts.length
      assert.ok(duplicates <= kills, `chat ${chat}: ${duplicates} duplicates for ${kills} kills: ${seq.join(',')}`)
      // A duplicate is the message in flight at a kill: sent again right after it, never later.
      seq.forEach((n, i) => {
        if (i > 0 && seq.indexOf(n) !== i) assert.equal(seq[i - 1], n, `chat ${chat}: a duplicate of ${n} follows its first copy`)
      })
    }
  } finally {
    if (child && child.exitCode === null) await kill()
    standby?.kill('SIGKILL')
    await fake.close()
    rmSync(dir, { recursive: true, force: true })
  }
})
