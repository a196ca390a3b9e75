// A read-only, case-insensitive view of Node's request headers that behaves like Fetch's Headers.
import type { IncomingHttpHeaders } from 'node:http'

export class RequestHeaders implements Iterable<[string, string]> {
  constructor(private readonly source: IncomingHttpHeaders) {}

  get(name: string): string | null {
    const value = this.source[name.toLowerCase()]
    if (value === undefined) return null
    return Array.isArray(value) ? value.join(', ') : value
  }

  has(name: string): boolean {
    return this.source[name.toLowerCase()] !== undefined
  }

  *entries(): IterableIterator<[string, string]> {
    for (const name of Object.keys(this.source).sort()) {
      const value = this.get(name)
      if (value !== null) yield [name, value]
    }
  }

  keys(): IterableIterator<string> {
    return Object.keys(this.source).sort()[Symbol.iterator]()
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value
  }

  forEach(callback: (value: string, name: string, headers: RequestHeaders) => void): void {
    for (const [name, value] of this.entries()) callback(value, name, this)
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries()
  }

  /** The underlying object (lower-case names), e.g. for logging through redaction. */
  toObject(): IncomingHttpHeaders {
    return this.source
  }
}
