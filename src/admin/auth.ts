// Admin authentication: the bearer token compared in constant time, and short-lived signed tickets for EventSource URLs.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

const TICKET_TTL_MS = 60_000

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest()
}

/** Hashing both sides first gives equal lengths, so the comparison takes the same time whatever was sent. */
export function tokenMatches(sent: string, expected: string): boolean {
  return timingSafeEqual(digest(sent), digest(expected)) && expected.length > 0
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '')
  return match?.[1]
}

/**
 * Tickets let an EventSource authenticate without putting the admin token in a URL: `<expiry>.<hmac>`, signed
 * with a key that lives only in this process, so a ticket is useless after 60 s or a restart.
 */
export class Tickets {
  private readonly key = randomBytes(32)

  constructor(private readonly now: () => number = Date.now) {}

  issue(): { ticket: string; expiresAt: number } {
    const expiresAt = this.now() + TICKET_TTL_MS
    return { ticket: `${expiresAt.toString(36)}.${this.sign(expiresAt.toString(36))}`, expiresAt }
  }

  valid(ticket: string | undefined): boolean {
    if (!ticket || ticket.length > 200) return false
    const [expiry, mac] = ticket.split('.')
    if (!expiry || !mac) return false
    const expected = Buffer.from(this.sign(expiry))
    const given = Buffer.from(mac)
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false
    const expiresAt = parseInt(expiry, 36)
    return Number.isFinite(expiresAt) && expiresAt >= this.now()
  }

  private sign(expiry: string): string {
    return createHmac('sha256', this.key).update(`hookcat-ticket:${expiry}`).digest('base64url')
  }
}
