// E-mail adapter against a local SMTP server (smtp-server): HTML and text parts, auth, refusals, attachments, long mail.
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { FakeSmtp } from '../../../test/fakes/smtp.js'
import { longMessage, makeAdapter, sendError, sendWhole } from '../../../test/fakes/harness.js'
import { emailAdapter } from './index.js'

const smtp = new FakeSmtp({ user: 'bot', pass: 'smtp-pass-123' })
let settings: Record<string, unknown>
before(async () => {
  const port = await smtp.start()
  settings = { host: '127.0.0.1', port, user: 'bot', password: 'smtp-pass-123', from: 'hookcat <bot@example.com>' }
})
after(() => smtp.close())

test('a mail with a subject from the title, an HTML part and a text part', async () => {
  const mail = makeAdapter(emailAdapter, settings)
  await sendWhole(mail, 'ops@example.com', { text: '', title: 'Build <1> failed', level: 'error', markdown: '**red** & `x<y`', link: { url: 'https://ci.example/1' } })
  const got = smtp.mails.at(-1)!
  assert.deepEqual(got.to, ['ops@example.com'])
  assert.equal(got.parsed.subject, '[hookcat] ❗ Build <1> failed')
  assert.match(got.parsed.text ?? '', /red & x<y/)
  assert.match(String(got.parsed.html), /<strong>red<\/strong> &amp; <code>x&lt;y<\/code>/)
  assert.match(String(got.parsed.html), /<a href="https:\/\/ci\.example\/1">/)
})

test('files by path come from the plugin data directory as attachments', async () => {
  const root = mkdtempSync(join(tmpdir(), 'hookcat-mail-'))
  mkdirSync(join(root, 'plugins', 'up'), { recursive: true })
  writeFileSync(join(root, 'plugins', 'up', 'report.txt'), 'REPORT')
  const mail = makeAdapter(emailAdapter, settings, { dataDir: root })
  await sendWhole(mail, 'ops@example.com', { text: 'see file', files: [{ path: 'report.txt', name: 'report.txt' }] }, 5000, 'up')
  const [attachment] = smtp.mails.at(-1)!.parsed.attachments
  assert.equal(attachment.filename, 'report.txt')
  assert.equal(attachment.content.toString(), 'REPORT')
})

test('a 4xx refusal is retried, a 5xx refusal and wrong credentials are final; the password is never shown', async () => {
  const mail = makeAdapter(emailAdapter, settings)
  smtp.refuse.push(451)
  assert.equal((await sendError(sendWhole(mail, 'ops@example.com', { text: 'x' }))).retryable, true)
  smtp.refuse.push(550)
  assert.equal((await sendError(sendWhole(mail, 'ops@example.com', { text: 'x' }))).retryable, false)
  const wrong = makeAdapter(emailAdapter, { ...settings, password: 'wrong-pass-456' })
  const auth = await sendError(sendWhole(wrong, 'ops@example.com', { text: 'x' }))
  assert.equal(auth.retryable, false)
  assert.doesNotMatch(auth.message, /wrong-pass-456/)
})

test('an SMTP server that is down is retried', async () => {
  const mail = makeAdapter(emailAdapter, { ...settings, port: 1 })
  assert.equal((await sendError(sendWhole(mail, 'ops@example.com', { text: 'x' }))).retryable, true)
})

test('the channel is one address', () => {
  const mail = makeAdapter(emailAdapter, settings)
  assert.equal(mail.checkChannel!('ops@example.com'), undefined)
  for (const bad of ['ops', 'a@b', 'a@@b.com', 'x y@z.com', 'a@b.com,c@d.com']) assert.match(mail.checkChannel!(bad) ?? '', /one address/, bad)
})

test('a message of 50,000 characters arrives as one mail with both parts whole', async () => {
  const mail = makeAdapter(emailAdapter, settings)
  assert.equal(await sendWhole(mail, 'ops@example.com', longMessage()), 1)
  const got = smtp.mails.at(-1)!
  assert.ok((got.parsed.text ?? '').length >= 40_000)
  assert.match(got.parsed.text ?? '', /line 1\d\d:/)
})
