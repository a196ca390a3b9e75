// Quiet hours across midnight and time zones, and the mute durations the CLI and admin API accept.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseMuteDuration, passesQuiet, quietUntil } from './quiet.js'

const night = { from: '23:00', to: '08:00', timeZone: 'Asia/Shanghai', except: ['critical' as const] }

test('quiet hours that cross midnight end at the local "to", in the configured time zone', () => {
  // 23:30 in Shanghai is 15:30 UTC; quiet ends at 08:00 Shanghai = 00:00 UTC the next day.
  assert.equal(quietUntil(night, Date.UTC(2026, 0, 5, 15, 30)), Date.UTC(2026, 0, 6, 0, 0))
  assert.equal(quietUntil(night, Date.UTC(2026, 0, 5, 22, 59, 30)), Date.UTC(2026, 0, 6, 0, 0), '06:59:30 local is still quiet')
  assert.equal(quietUntil(night, Date.UTC(2026, 0, 6, 0, 0)), 0, '08:00 local: quiet is over')
  assert.equal(quietUntil(night, Date.UTC(2026, 0, 5, 14, 59)), 0, '22:59 local: not yet')
  assert.equal(quietUntil({ ...night, from: '12:00', to: '13:00', timeZone: 'UTC' }, Date.UTC(2026, 0, 5, 12, 30)), Date.UTC(2026, 0, 5, 13, 0))
  assert.equal(quietUntil({ ...night, from: '08:00', to: '08:00' }, Date.UTC(2026, 0, 5, 0, 0)), 0, 'from = to: no quiet hours')
})

test('only the levels listed in except pass quiet hours', () => {
  assert.equal(passesQuiet(night, { text: '', level: 'critical' }), true)
  assert.equal(passesQuiet(night, { text: '', level: 'error' }), false)
  assert.equal(passesQuiet(night, { text: 'no level' }), false)
})

test('mute durations: units combine, nonsense and more than a year are refused', () => {
  assert.equal(parseMuteDuration('2h'), 7_200_000)
  assert.equal(parseMuteDuration('1h30m'), 5_400_000)
  assert.equal(parseMuteDuration(' 1D '), 86_400_000)
  for (const bad of ['', 'soon', '2', '-1h', '0m', '400d', '1h 30m', '2x']) assert.equal(parseMuteDuration(bad), undefined, bad)
})
