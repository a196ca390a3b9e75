// The ground layer: the error catalogue's answers, header redaction and secret scrubbing, and ids.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ERRORS, errorBody, HookcatError, isHookcatError } from './errors.js'
import { newId } from './ids.js'
import { isSecretHeader, redactHeaders, scrubSecrets } from './redact.js'

test('errorBody: HookcatErrors keep code, status, message and headers; anything else is a bare INTERNAL 500', () => {
  const known = errorBody(new HookcatError('METHOD_NOT_ALLOWED', 'use POST', { headers: { allow: 'POST' } }))
  assert.equal(known.status, 405)
  assert.deepEqual(JSON.parse(known.body), { error: { code: 'METHOD_NOT_ALLOWED', message: 'use POST' } })
  assert.deepEqual(known.headers, { allow: 'POST' })
  for (const thrown of [new Error('password=hunter2'), 'text', null, { code: 'FORBIDDEN', status: 403 }]) {
    const bare = errorBody(thrown)
    assert.equal(bare.status, 500)
    assert.deepEqual(JSON.parse(bare.body), { error: { code: 'INTERNAL', message: ERRORS.INTERNAL.message } })
  }
  // An error from another copy of hookcat is recognised by its shape.
  assert.ok(isHookcatError({ name: 'HookcatError', code: 'FORBIDDEN', status: 403, message: 'x' }))
  assert.ok(!isHookcatError({ name: 'HookcatError', code: 'NO_SUCH_CODE', status: 403 }))
  for (const [code, { status }] of Object.entries(ERRORS)) assert.ok(status >= 400 && status <= 599, code)
})

test('redactHeaders masks credential headers whatever their case, and keeps the rest', () => {
  const headers = {
    authorization: 'Bearer t',
    cookie: 'c',
    'x-hub-signature-256': 's',
    'x-gitlab-token': 't',
    'x-api-key': 'k',
    'x-webhook-secret': 's',
    'proxy-authorization': 'p',
    'content-type': 'application/json',
    'x-github-event': 'push',
    'x-multi': ['a', 'b'],
  }
  const out = redactHeaders(headers)
  for (const name of ['authorization', 'cookie', 'x-hub-signature-256', 'x-gitlab-token', 'x-api-key', 'x-webhook-secret', 'proxy-authorization']) {
    assert.equal(out[name], '[redacted]', name)
  }
  assert.equal(out['content-type'], 'application/json')
  assert.equal(out['x-github-event'], 'push')
  assert.equal(out['x-multi'], 'a, b')
  assert.ok(isSecretHeader('X-Signature'))
  assert.ok(!isSecretHeader('x-github-delivery'))
})

test('scrubSecrets replaces every occurrence of each secret and leaves very short ones alone', () => {
  assert.equal(scrubSecrets('key=s3cr3t-value and again s3cr3t-value', ['s3cr3t-value']), 'key=[redacted] and again [redacted]')
  assert.equal(scrubSecrets('abc', ['ab']), 'abc')
})

test('ids are 26 URL-safe characters, unique, and sort by creation', () => {
  const ids = Array.from({ length: 5000 }, () => newId())
  assert.equal(new Set(ids).size, ids.length)
  for (const id of ids.slice(0, 50)) assert.match(id, /^[0-9a-z]{26}$/)
  assert.deepEqual([...ids].sort(), ids)
})
