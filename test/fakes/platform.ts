// A fake chat platform on 127.0.0.1: records requests, answers as the platform's spec says, injects faults on demand.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export interface Recorded {
  method: string
  path: string
  query: URLSearchParams
  headers: IncomingMessage['headers']
  raw: Buffer
  body: string
  json: any
  at: number
}

export interface Answer {
  status: number
  headers?: Record<string, string>
  body?: unknown
}

/** A platform's protocol: what it checks, and how it answers success, rate limiting and failure. */
export interface PlatformSpec {
  name: string
  /** The platform's answer to a request it refuses (bad path, auth, shape, size), or undefined. */
  check(req: Recorded): Answer | undefined
  ok(req: Recorded, fake: FakePlatform): Answer
  rateLimited(retryAfterSeconds: number): Answer
  serverError(): Answer
  /** What text a request delivered, for counting at the platform. */
  textOf(req: Recorded): string
  /** The chat a request went to, for per-chat rate limits and order. */
  chatOf(req: Recorded): string
}

/** hang: never answer; drop: close the connection without an answer; rate: the platform's own 429; error: its 5xx. */
export type Fault = 'hang' | 'drop' | 'rate' | 'error'

export interface RateRule {
  count: number
  windowMs: number
  retryAfterSeconds: number
}

export class FakePlatform {
  readonly requests: Recorded[] = []
  /** Requests the platform took (answered as success). */
  readonly accepted: Recorded[] = []
  /** Rate-limit answers given because a chat went over its limit. */
  rateAnswers = 0
  private faults: Fault[] = []
  private readonly sockets = new Set<Socket>()
  private readonly hung = new Set<ServerResponse>()
  private readonly windows = new Map<string, number[]>()
  private server?: Server
  url = ''
  /** Answer with this Retry-After (seconds) when a rate fault is injected. */
  retryAfterSeconds = 1
  /** Enforce a per-chat limit as the platform documents it; going over answers the platform's 429. */
  rateRule?: RateRule
  /** Answer this many milliseconds late, so that calls are in flight long enough to be cut by a crash. */
  delayMs = 0
  /** Decides a fault for a request when set (the crash test fails first attempts this way). */
  faultFor?: (req: Recorded) => Fault | undefined

  constructor(readonly spec: PlatformSpec) {}

  /** The next requests get these faults, in order. */
  fail(...faults: Fault[]): this {
    this.faults.push(...faults)
    return this
  }

  texts(): string[] {
    return this.accepted.map((r) => this.spec.textOf(r))
  }

  async start(port = 0): Promise<string> {
    const server = createServer((req, res) => this.handle(req, res))
    server.keepAliveTimeout = 5000
    server.on('connection', (socket) => {
      this.sockets.add(socket)
      socket.on('close', () => this.sockets.delete(socket))
    })
    this.server = server
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    return this.url
  }

  async close(): Promise<void> {
    for (const res of this.hung) res.destroy()
    for (const socket of this.sockets) socket.destroy()
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()))
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const raw = Buffer.concat(chunks)
      const url = new URL(req.url ?? '/', 'http://fake')
      const body = raw.toString('utf8')
      let json: unknown
      try {
        json = body ? JSON.parse(body) : undefined
      } catch {
        json = undefined
      }
      const rec: Recorded = { method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, raw, body, json, at: Date.now() }
      this.requests.push(rec)
      const fault = this.faults.shift() ?? this.faultFor?.(rec)
      if (fault === 'hang') {
        this.hung.add(res)
        return
      }
      if (fault === 'drop') {
        req.socket.destroy()
        return
      }
      if (fault === 'rate') return this.answer(res, this.spec.rateLimited(this.retryAfterSeconds))
      if (fault === 'error') return this.answer(res, this.spec.serverError())
      const refused = this.spec.check(rec)
      if (refused) return this.answer(res, refused)
      if (this.rateRule && this.overLimit(rec)) {
        this.rateAnswers++
        return this.answer(res, this.spec.rateLimited(this.rateRule.retryAfterSeconds))
      }
      // The platform has taken the message once it decided to: a client that dies before the answer still sent it.
      this.accepted.push(rec)
      const ok = this.spec.ok(rec, this)
      if (this.delayMs > 0) setTimeout(() => this.answer(res, ok), this.delayMs)
      else this.answer(res, ok)
    })
  }

  /** A sliding window per chat, as platforms count "N per minute". */
  private overLimit(rec: Recorded): boolean {
    const rule = this.rateRule!
    const chat = this.spec.chatOf(rec)
    const now = Date.now()
    const times = (this.windows.get(chat) ?? []).filter((t) => t > now - rule.windowMs)
    if (times.length >= rule.count) {
      this.windows.set(chat, times)
      return true
    }
    times.push(now)
    this.windows.set(chat, times)
    return false
  }

  private answer(res: ServerResponse, answer: Answer): void {
    if (res.destroyed || res.writableEnded) return
    const text = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body)
    res.writeHead(answer.status, { 'content-type': typeof answer.body === 'string' ? 'text/plain' : 'application/json', ...answer.headers })
    res.end(text)
  }
}

export const json = (status: number, body: unknown, headers?: Record<string, string>): Answer => ({ status, body, headers })
