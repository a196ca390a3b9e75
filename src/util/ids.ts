// Identifiers: time-ordered, URL-safe, collision-resistant ids for deliveries, messages and tasks.
import { randomBytes } from 'node:crypto'

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz' // Crockford base32, lower case
let pool = randomBytes(4096)
let poolOffset = pool.length
let lastTime = 0
let counter = 0

function randomChars(count: number): string {
  if (poolOffset + count > pool.length) {
    pool = randomBytes(4096)
    poolOffset = 0
  }
  let out = ''
  for (let i = 0; i < count; i++) out += ALPHABET[pool[poolOffset++] & 31]
  return out
}

function timeChars(ms: number): string {
  let out = ''
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[ms % 32] + out
    ms = Math.floor(ms / 32)
  }
  return out
}

/** A 26-character id that sorts by creation time (ULID layout), monotonic within one process. */
export function newId(): string {
  const now = Date.now()
  if (now === lastTime) counter++
  else {
    lastTime = now
    counter = 0
  }
  const c = counter.toString(32).padStart(4, '0').slice(-4)
  return timeChars(now) + c + randomChars(12)
}
