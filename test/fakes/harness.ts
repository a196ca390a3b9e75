// Drives an adapter instance directly against a fake platform: build it from settings, send whole messages, check faults.
import assert from 'node:assert/strict'
import { tmpdir } from 'node:os'
import type { AdapterFactory, AdapterInstance } from '../../src/host/outbox/adapter.js'
import { SendError } from '../../src/host/outbox/adapter.js'
import { HostEvents } from '../../src/host/events.js'
import type { Message } from '../../src/host/messages.js'
import type { Storage } from '../../src/storage/types.js'
import { createLogger } from '../../src/util/logger.js'
import type { FakePlatform } from './platform.js'

export function makeAdapter(factory: AdapterFactory, settings: Record<string, unknown>, options: { name?: string; now?: () => number; dataDir?: string } = {}): AdapterInstance {
  const parsed = factory.config.parse(settings)
  return factory.create(parsed, {
    name: options.name ?? factory.type,
    logger: createLogger({ level: 'silent' }),
    // HTTP adapters never touch storage; web does, and is tested through a host.
    storage: undefined as unknown as Storage,
    events: new HostEvents(),
    dataDir: options.dataDir ?? tmpdir(),
    now: options.now,
  })
}

/** Sends every part of a message in order, as the outbox would; returns how many parts there were. */
export async function sendWhole(adapter: AdapterInstance, channel: string, message: Message, timeoutMs = 5000, plugin?: string): Promise<number> {
  const parts = adapter.render ? adapter.render(channel, message) : [undefined]
  for (let i = 0; i < parts.length; i++) {
    await adapter.send(channel, message, { messageId: 'm1', attempt: 1, signal: AbortSignal.timeout(timeoutMs), plugin, part: i, parts: parts.length, payload: parts[i] })
  }
  return parts.length
}

export async function sendError(promise: Promise<unknown>): Promise<SendError> {
  try {
    await promise
  } catch (error) {
    assert.ok(error instanceof SendError, `expected a SendError, got ${String(error)}`)
    return error
  }
  assert.fail('the send succeeded but should have failed')
}

/**
 * The faults every platform shows: its own rate-limit answer, a server error, an answer that never comes (the send
 * timeout's signal ends it) and a dropped connection. All are retryable; the rate answer carries the wait.
 */
export async function checkFaults(fake: FakePlatform, adapter: AdapterInstance, channel: string, expectedRetryAfterMs: number): Promise<void> {
  const message: Message = { text: 'fault check' }
  fake.fail('rate')
  const rate = await sendError(sendWhole(adapter, channel, message))
  assert.equal(rate.retryable, true, 'a rate-limit answer is retried')
  assert.equal(rate.retryAfterMs, expectedRetryAfterMs, 'the wait the platform asked for is kept')

  fake.fail('error')
  const error = await sendError(sendWhole(adapter, channel, message))
  assert.equal(error.retryable, true, 'a server error is retried')
  assert.ok(error.httpStatus === undefined || error.httpStatus >= 500)

  fake.fail('hang')
  const hang = await sendError(sendWhole(adapter, channel, message, 300))
  assert.equal(hang.retryable, true, 'a platform that never answers is retried')
  assert.match(hang.message, /timed out/)

  fake.fail('drop')
  const drop = await sendError(sendWhole(adapter, channel, message))
  assert.equal(drop.retryable, true, 'a dropped connection is retried')

  const before = fake.accepted.length
  await sendWhole(adapter, channel, message)
  assert.equal(fake.accepted.length, before + 1, 'after the faults the platform takes the message')
}

/** 50,000 characters of lines, with markup the renderers must not break at a split. */
export function longMessage(): Message {
  const lines: string[] = []
  for (let i = 0; lines.join('\n').length < 50_000; i++) lines.push(`line ${i}: **bold ${i}** and \`code ${i}\` & <tag> ${'lorem ipsum '.repeat(3)}`)
  const markdown = lines.join('\n').slice(0, 50_000)
  return { text: markdown, markdown, title: 'A very long message', link: { url: 'https://example.com/source/1', title: 'source' } }
}
