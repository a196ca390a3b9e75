// The invariants catch what they claim to: a repeated line or URL, two icons, a platform limit, broken markup, a hole.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Message } from '../../src/host/messages.js'
import { invariantProblems, leadingIcons, sameLine } from './invariants.js'
import { Platforms, type Delivery } from './platforms.js'

const has = (problems: string[], re: RegExp) => assert.ok(problems.some((p) => re.test(p)), `expected ${re} in:\n${problems.join('\n')}`)

test('a message that says its headline and link twice fails on every adapter (the shape of the old formatters)', async () => {
  const doubled: Message = { title: '🔥 Firing: 2 alerts', level: 'critical', text: '🔥 [web] Firing: 2 alerts\nPod is crash looping.\nPod is crash looping.\n🔗 https://am.example/x', link: { url: 'https://am.example/x' } }
  const platforms = await new Platforms().start()
  try {
    const problems = invariantProblems('doubled', doubled, await platforms.deliverAll(doubled))
    has(problems, /doubled: line said 2 times: "Pod is crash looping\." \[every adapter\]/)
    has(problems, /URL shown 2 times: https:\/\/am\.example\/x/)
    const clean: Message = { title: 'Firing: 2 alerts', source: 'web', level: 'critical', text: 'pod a: crash looping\npod b: crash looping', link: { url: 'https://am.example/x' } }
    assert.deepEqual(invariantProblems('clean', clean, await platforms.deliverAll(clean)), [])
  } finally {
    await platforms.close()
  }
})

test('two icons in a headline, holes, limits and markup are reported by platform', () => {
  assert.equal(leadingIcons('🔴 🔥 告警触发'), 2)
  assert.equal(leadingIcons('[hookcat] 🔴 [acme/api] 🔴 监控告警'), 2)
  assert.equal(leadingIcons('✅ [acme/api] v1 🎉 released'), 1)
  assert.equal(sameLine('📦 [acme/api] octocat pushed 1 commit'), sameLine('📦 octocat pushed 1 commit'))
  const m: Message = { title: 'x', text: '' }
  const deliveries: Delivery[] = [
    { adapter: 'console', parts: ['[console-ops] 🔴 🔥 x\n  │ value undefined\n'] },
    { adapter: 'telegram', parts: [{ request: 'POST /', body: { text: '<b>x</i>', parse_mode: 'HTML' } }], raw: [] },
    { adapter: 'discord', parts: [{ request: 'POST /', body: { embeds: [{ title: 'x'.repeat(257) }], allowed_mentions: { parse: ['everyone'] } } }], raw: [] },
    { adapter: 'slack', parts: [{ request: 'POST /', body: { text: 'x', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }] } }], raw: [] },
    { adapter: 'wecom', parts: [{ request: 'POST /', body: { msgtype: 'markdown', markdown: { content: '字'.repeat(1400) } } }], raw: [] },
  ]
  const problems = invariantProblems('synthetic', m, deliveries)
  has(problems, /2 icons in the headline.*\[console\]/)
  has(problems, /a hole in the text: undefined \[console\]/)
  has(problems, /can't parse entities.*\[telegram\]/)
  has(problems, /embed title 257 > 256 \[discord\]/)
  has(problems, /allowed_mentions lets @everyone/)
  has(problems, /header 151 > 150 \[slack\]/)
  has(problems, /40058 markdown\.content 4200 > 4096 bytes \[wecom\]/)
})
