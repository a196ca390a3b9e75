// Every built-in message in zh-CN and en: snapshots, and the invariants of the Message model (each piece said once, one icon, both languages clean).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Message } from '../index.js'
import { formatGithub, SUPPORTED_EVENTS } from './github/format/index.js'
import { normalizeGitea } from './gitea/normalize.js'
import { formatGitlab } from './gitlab/format.js'
import { gitlabEvent } from './gitlab/facts.js'
import { dictionary } from './shared/dictionary.js'
import { excerpt } from './shared/format.js'
import { formatAlertGroup, grafanaTitle } from './shared/alerts.js'
import { LOCALES, type Locale } from './shared/locale.js'
import { Snapshots } from './shared/snapshot.js'
import { formatMonitorAlert, parseMonitorAlert } from './monitor/index.js'

const here = fileURLToPath(new URL('.', import.meta.url))
const fixtures = join(here, '../../test/fixtures/senders')
const require = createRequire(import.meta.url)
const examples = require('@octokit/webhooks-examples') as Array<{ name: string; examples: Array<Record<string, any>> }>

/** The samples of a sender; "workflow_run.failure.json" is a sample of the event workflow_run. */
function fixture(sender: string): Array<{ name: string; event: string; body: any }> {
  return readdirSync(join(fixtures, sender))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: f.replace(/\.json$/, ''), event: f.split('.')[0]!, body: JSON.parse(readFileSync(join(fixtures, sender, f), 'utf8')) }))
}

interface Case {
  key: string
  /** The sender's event name. */
  event: string
  locale: Locale
  message: Message
  payload: unknown
  /** Kept as a snapshot (one per GitHub event and action, and every sample); the others are only checked. */
  snapshot: boolean
  needsLink: boolean
  mustName: string[]
}

/** Every message: each webhooks-examples payload, and every sample of every sender, in both languages. */
function cases(): Case[] {
  const out: Case[] = []
  for (const locale of LOCALES) {
    const add = (c: Omit<Case, 'locale'>) => out.push({ ...c, locale })
    for (const group of examples) {
      const seen = new Set<string>()
      group.examples.forEach((p, i) => {
        const id = `${group.name}.${p.action ?? '-'}`
        const supported = SUPPORTED_EVENTS.includes(group.name)
        const first = supported && !seen.has(id)
        seen.add(id)
        add({
          key: first ? `${locale} github ${id}` : `${locale} github ${id} #${i}`,
          event: group.name,
          message: formatGithub(group.name, p, locale),
          payload: p,
          snapshot: first,
          needsLink: supported,
          mustName: supported ? [p.repository?.full_name ?? p.organization?.login, p.sender?.login].filter(Boolean) : [],
        })
      })
    }
    for (const f of fixture('github')) {
      add({ key: `${locale} github sample ${f.name}`, event: f.event, message: formatGithub(f.event, f.body, locale), payload: f.body, snapshot: true, needsLink: true, mustName: [f.body.repository.full_name, f.body.sender.login] })
    }
    for (const f of fixture('gitea')) {
      add({ key: `${locale} gitea ${f.name}`, event: f.event, message: formatGithub(f.event, normalizeGitea(f.event, f.body), locale), payload: f.body, snapshot: true, needsLink: true, mustName: [f.body.repository.full_name, f.body.sender.login] })
    }
    for (const f of fixture('gitlab')) {
      const actor = f.body.user?.username ?? f.body.user_username
      add({ key: `${locale} gitlab ${f.name}`, event: f.event, message: formatGitlab(gitlabEvent(null, f.body), f.body, locale), payload: f.body, snapshot: true, needsLink: true, mustName: [f.body.project.path_with_namespace, ...(actor ? [actor] : [])] })
    }
    for (const sender of ['alertmanager', 'grafana']) {
      for (const f of fixture(sender)) {
        const message = formatAlertGroup(f.body, locale, 'Asia/Shanghai', sender === 'grafana' ? grafanaTitle(f.body) : undefined)
        add({ key: `${locale} ${sender} ${f.name}`, event: f.event, message, payload: f.body, snapshot: true, needsLink: true, mustName: [] })
      }
    }
    for (const f of fixture('monitor')) {
      const message = formatMonitorAlert(parseMonitorAlert(f.body), locale, 'Asia/Shanghai', Date.UTC(2024, 4, 1))
      add({ key: `${locale} monitor ${f.name}`, event: f.event, message, payload: { ...f.body, zone: 'Asia/Shanghai' }, snapshot: true, needsLink: false, mustName: [f.body.service] })
    }
  }
  return out
}

const ALL = cases()

/** Every piece a reader sees, in order, as lines ("name: value" for fields); the link is apart. */
function pieces(m: Message): string[] {
  return [m.source ?? '', m.title ?? '', ...(m.text ? m.text.split('\n') : []), ...(m.fields ?? []).map((f) => `${f.name}: ${f.value}`)].filter((l) => l !== '')
}

const PICTOGRAPH = /\p{Extended_Pictographic}/u
const graphemes = (s: string) => [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(s)].length

/** The invariants of one message; an empty list when it holds them all. */
function problemsOf(c: Case): string[] {
  const m = c.message
  const out: string[] = []
  const say = (what: string) => out.push(`${c.key}: ${what}\n${JSON.stringify(m, null, 1)}`)
  const all = pieces(m)
  const lines = m.text ? m.text.split('\n') : []
  if (!m.title) say('no title')
  if (!m.icon || graphemes(m.icon) !== 1 || !PICTOGRAPH.test(m.icon)) say(`not one icon: ${m.icon}`)
  if (m.title && PICTOGRAPH.test([...m.title][0] ?? '')) say('the title starts with a second icon')
  if (lines.some((l) => PICTOGRAPH.test([...l][0] ?? '') && !PICTOGRAPH.test(JSON.stringify(c.payload)))) say('a line starts with an icon')
  if (m.title && lines.some((l) => l.includes(m.title!))) say('the title is repeated in the text')
  if (m.source && lines.some((l) => l === m.source || l === `[${m.source}]`)) say('the source is repeated in the text')
  if (m.link && all.some((l) => l.split(/[\s()<>]+/).some((w) => w.replace(/[.,;:!?]+$/, '') === m.link!.url))) say('the link is repeated in the text or fields')
  const seen = new Set<string>()
  for (const l of [...lines, ...(m.fields ?? []).map((f) => `${f.name}: ${f.value}`)]) {
    if (seen.has(l)) say(`a line said twice: ${l}`)
    seen.add(l)
  }
  const flat = JSON.stringify(m)
  if (/undefined|\bnull\b|\[object Object\]|NaN/.test(flat.replace(/"(url|link)":"[^"]*"/g, ''))) say('a hole (undefined, null, NaN, [object Object])')
  if (lines.length > 16 || m.text.length > 1500) say(`too long (${lines.length} lines, ${m.text.length} characters)`)
  if (all.some((l) => [...l].length > 220)) say('a line longer than 220 characters')
  if (c.needsLink && !m.link?.url) say('no link')
  for (const name of c.mustName) if (!all.some((l) => l.includes(name))) say(`does not name ${name}`)
  return out
}

test('every built-in message matches its snapshot in both locales', () => {
  const snapshots = new Snapshots(join(here, '__snapshots__/messages.snap.json'))
  const kept = ALL.filter((c) => c.snapshot)
  assert.ok(kept.length > 200, `expected messages for every event, got ${kept.length}`)
  const problems: string[] = []
  for (const c of kept) {
    const diff = snapshots.check(c.key, c.message)
    if (diff) problems.push(diff)
  }
  snapshots.save()
  assert.deepEqual(problems, [])
  if (!snapshots.updating) assert.deepEqual(snapshots.stale(), [], 'snapshots of messages no longer produced')
})

test('every message of every sample and every webhooks-examples payload says each piece once, with one icon and no holes', () => {
  assert.ok(ALL.length > 600, `checked ${ALL.length}`)
  assert.deepEqual(ALL.flatMap(problemsOf), [])
})

test('the two-pod Alertmanager group names both pods, their descriptions, and the group once', () => {
  const body = JSON.parse(readFileSync(join(fixtures, 'alertmanager/two-pods.json'), 'utf8'))
  for (const locale of LOCALES) {
    const m = formatAlertGroup(body, locale, 'UTC')
    const text = pieces(m).join('\n')
    for (const pod of ['checkout-7d9f-x2k4p', 'checkout-7d9f-q8m2z']) {
      assert.match(text, new RegExp(`pod=${pod}`))
      assert.match(text, new RegExp(`Pod shop/${pod} restarts repeatedly`))
    }
    assert.equal(text.split('Pod is crash looping.').length - 1, 1, 'the shared summary once')
    assert.equal(m.level, 'critical')
    assert.equal(m.icon, '🔴')
    assert.equal(m.source, 'KubePodCrashLooping')
    assert.equal(m.link?.url, body.alerts[0].generatorURL, 'the generator link they share, once')
    assert.ok(m.fields?.some((f) => f.name === 'namespace' && f.value === 'shop'), 'the common labels as facts')
  }
})

test('alert groups: identical alerts collapse with a count, a long group ends with "and K more" and the total', () => {
  const alert = (i: number, instance: string) => ({
    status: 'firing',
    labels: { alertname: 'Probe', instance, __rule: `r${i}` },
    annotations: { summary: 'Probe failed' },
    startsAt: '2024-05-01T09:00:00Z',
    generatorURL: `http://prom.example/graph?i=${i % 2}`,
  })
  const body = { status: 'firing', alerts: [alert(1, 'a'), alert(2, 'b'), alert(3, 'b'), alert(4, 'b'), ...Array.from({ length: 12 }, (_, i) => alert(10 + i, `h${i}`))], commonLabels: {}, externalURL: 'http://am.example' }
  const m = formatAlertGroup(body, 'en', 'UTC')
  const lines = m.text.split('\n')
  assert.ok(lines.includes('- instance=b · ×3'), m.text)
  assert.ok(lines.includes('…and 6 more (16 in all)'), m.text)
  assert.equal(m.link?.url, 'http://am.example', 'two generator links: the group link is the link')
  assert.ok(lines.includes('View: http://prom.example/graph?i=0') && lines.includes('View: http://prom.example/graph?i=1'), 'each distinct URL once')
  assert.equal(m.text.split('Probe failed').length - 1, 1)
})

// ---- both languages complete ----

/** Words the zh-CN messages keep in English on purpose: names Chinese developers use as they are. */
const ZH_KEEPS = new Set(['PR', 'MR', 'Issue', 'Wiki', 'Webhook', 'Runbook'])
const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+/g
const LATIN = /[A-Za-z][A-Za-z'-]*[A-Za-z]|[A-Za-z]/g

/** Every string and key of a payload, lower-cased: words taken from the payload are the sender's, not ours. */
function payloadText(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value.toLowerCase(), value.toLowerCase().replace(/_/g, ' '))
  else if (typeof value === 'number' || typeof value === 'boolean') out.push(String(value))
  else if (Array.isArray(value)) value.forEach((v) => payloadText(v, out))
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k.toLowerCase())
      payloadText(v, out)
    }
  }
  return out
}

function languageProblems(c: Case): string[] {
  // The event name is the sender's too (a generic message names it).
  const from = [...payloadText(c.payload), c.event.toLowerCase()].join('\n')
  const said = pieces(c.message)
  const out: string[] = []
  for (const line of said) {
    if (c.locale === 'zh-CN') {
      for (const word of line.match(LATIN) ?? []) {
        if (word.length < 2 || ZH_KEEPS.has(word) || from.includes(word.toLowerCase())) continue
        out.push(`${c.key}: English "${word}" in: ${line}`)
      }
    } else {
      for (const run of line.match(CJK) ?? []) if (!from.includes(run.toLowerCase())) out.push(`${c.key}: Chinese "${run}" in: ${line}`)
    }
    const tokens = line.split(/\s+/)
    tokens.forEach((t, i) => {
      const twice = i > 0 && /[\p{L}\p{N}]{2,}/u.test(t) && t.toLowerCase() === tokens[i - 1]!.toLowerCase()
      if (twice && !from.includes(`${t.toLowerCase()} ${t.toLowerCase()}`)) out.push(`${c.key}: doubled "${t}" in: ${line}`)
    })
  }
  return out
}

test('zh-CN messages hold no English of ours and en ones no Chinese; no doubled words; one dictionary holds both', () => {
  assert.deepEqual(ALL.flatMap(languageProblems), [])
  const zh = dictionary('zh-CN')
  const en = dictionary('en')
  assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort(), 'the same keys in both languages')
  for (const [key, value] of Object.entries(zh)) {
    const english = (value.replace(/\{\w+\}/g, '').match(LATIN) ?? []).filter((w) => !ZH_KEEPS.has(w))
    assert.deepEqual(english, [], `zh-CN ${key}: ${value}`)
  }
  for (const [key, value] of Object.entries(en)) assert.doesNotMatch(value, CJK, `en ${key}: ${value}`)
})

test('a description excerpt is a few plain lines: comments, code, images, headings and markup stripped, links as their text', () => {
  const body = '<!-- template -->\n## What\n\n![shot](https://x.example/a.png)\nAdds a **token bucket** per `client`, see [the design](https://x.example/d).\n\n```ts\nlimit(100)\n```\n- [x] tests\n- docs\n<details>more</details>'
  assert.deepEqual(excerpt(body, 3), ['> Adds a token bucket per client, see the design.', '> tests', '> docs …'])
  assert.deepEqual(excerpt('', 3), [])
  assert.deepEqual(excerpt(undefined, 3), [])
})
