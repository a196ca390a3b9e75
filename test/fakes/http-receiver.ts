// Fake receiver of hookcat's http adapter: verifies X-Hookcat-Signature over the raw body as README.md documents.
import { createHmac, timingSafeEqual } from 'node:crypto'
import { FakePlatform, json, type PlatformSpec, type Recorded } from './platform.js'

export function httpReceiverSpec(path: string, secret?: string): PlatformSpec {
  return {
    name: 'http',
    check(req: Recorded) {
      if (req.path !== path) return json(404, { error: 'not found' })
      if (secret) {
        const ts = String(req.headers['x-hookcat-timestamp'] ?? '')
        const expected = createHmac('sha256', secret).update(`${ts}.`).update(req.raw).digest('hex')
        const given = String(req.headers['x-hookcat-signature'] ?? '').replace(/^v1=/, '')
        if (given.length !== expected.length || !timingSafeEqual(Buffer.from(given), Buffer.from(expected))) return json(401, { error: 'bad signature' })
      }
      return undefined
    },
    ok: () => json(200, { ok: true }),
    rateLimited: (s) => json(429, { error: 'slow down' }, { 'retry-after': String(s) }),
    serverError: () => json(503, { error: 'unavailable' }),
    textOf: (req) => String(req.json?.text ?? ''),
    chatOf: (req) => String(req.json?.channel ?? ''),
  }
}

export const fakeHttpReceiver = (path: string, secret?: string): FakePlatform => new FakePlatform(httpReceiverSpec(path, secret))
