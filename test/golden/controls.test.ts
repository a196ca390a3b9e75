// Control characters and bidi overrides in any piece of a message reach no platform (one shared cleaner, every adapter).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Message } from '../../src/host/messages.js'
import { Platforms } from './platforms.js'

const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value)
  else if (Array.isArray(value)) value.forEach((v) => strings(v, out))
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => strings(v, out))
  return out
}

test('no C0/C1 control or bidi override from a message reaches any platform', async () => {
  const dirty = (s: string) => `\u001b[31m${s}\u001b[0m\u0007\u202Egnp.exe\u2066x\u2069\u009b2J\r`
  const message: Message = { title: dirty('title'), source: dirty('src'), icon: '🔥', text: dirty('body\nline'), fields: [{ name: dirty('n'), value: dirty('v') }], link: { url: 'https://ci.example/1', title: dirty('log') }, mentions: ['u1'], level: 'error' }
  const platforms = await new Platforms().start()
  try {
    for (const d of await platforms.deliverAll(message)) {
      const values = d.adapter === 'email' ? d.mails.flatMap((m) => [String(m.parsed.subject), String(m.parsed.text), String(m.parsed.html)]) : strings(d.parts)
      assert.ok(values.length > 0, d.adapter)
      for (const v of values) assert.doesNotMatch(v, CONTROLS, `${d.adapter}: ${JSON.stringify(v).slice(0, 120)}`)
      assert.ok(values.some((v) => v.includes('31mtitle')), `${d.adapter} still shows the words`)
    }
  } finally {
    await platforms.close()
  }
})
