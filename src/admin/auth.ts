// Admin authentication: the bearer token compared in constant time, and single-use tickets bound to one EventSource URL.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

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

/** Tickets not yet used; beyond it the oldest are dropped (each is good for one stream within a minute anyway). */
const MAX_OUTSTANDING = 1000

/**
 * Tickets let an EventSource authenticate without putting the admin token in a URL. A ticket is random, names the
 * one stream (path) it was issued for, opens it once, and expires after 60 s; it lives only in this process.
 */
export class Tickets {
  private readonly issued = new Map<string, { stream: string; expiresAt: number }>()

  constructor(private readonly now: () => number = Date.now) {}

  issue(stream: string): { ticket: string; expiresAt: number; stream: string } {
    const now = this.now()
    for (const [ticket, entry] of this.issued) if (entry.expiresAt < now) this.issued.delete(ticket)
    if (this.issued.size >= MAX_OUTSTANDING) this.issued.delete(this.issued.keys().next().value!)
    const ticket = randomBytes(24).toString('base64url')
    const expiresAt = now + TICKET_TTL_MS
    this.issued.set(ticket, { stream, expiresAt })
    return { ticket, expiresAt, stream }
  }

  /** True when the ticket was issued for this stream and not used or expired; it is used up either way. */
  take(ticket: string | undefined, stream: string): boolean {
    if (!ticket || ticket.length > 200) return false
    const entry = this.issued.get(ticket)
    if (!entry) return false
    this.issued.delete(ticket)
    return entry.stream === stream && entry.expiresAt >= this.now()
  }
}
