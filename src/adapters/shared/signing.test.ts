// Signatures byte for byte: values computed independently with openssl from the platforms' documented formulas.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { dingtalkSign, feishuSign, hookcatSign } from './signing.js'

test('Feishu: base64(HMAC-SHA256(key = "{timestamp}\\n{secret}", message = empty)), seconds', () => {
  // printf '' | openssl dgst -sha256 -mac HMAC -macopt hexkey:<hex of "1700000000\nSECabc123"> -binary | base64
  assert.equal(feishuSign(1_700_000_000, 'SECabc123'), 'UqhI0v4zAkSwI4hNYBuHQvnrAqshA0UaeBGHCUMPX70=')
})

test('DingTalk: urlencode(base64(HMAC-SHA256(key = secret, message = "{timestamp}\\n{secret}"))), milliseconds', () => {
  // printf '1700000000000\nSECabc123' | openssl dgst -sha256 -hmac 'SECabc123' -binary | base64, then URL-encoded
  assert.equal(dingtalkSign(1_700_000_000_000, 'SECabc123'), 'N5P09a4%2Bp1AMJIJWnIvQd2Yxw9%2Bfu%2FoEBnPrjCcsLXk%3D')
})

test('the Feishu and DingTalk schemes are not interchangeable', () => {
  assert.notEqual(feishuSign(1_700_000_000, 'SECabc123'), decodeURIComponent(dingtalkSign(1_700_000_000, 'SECabc123')))
})

test('hookcat http adapter: hex HMAC-SHA256(secret, "{timestamp}.{body}")', () => {
  // printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac 'a-very-long-secret-0001'
  assert.equal(hookcatSign(1_700_000_000, '{"a":1}', 'a-very-long-secret-0001'), '20302f2dbec84b85c700bc69fd42f68b7fd8ab72814fef58e8592ad91b16d497')
})
