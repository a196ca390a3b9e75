// Snapshot tests of every built-in message in zh-CN and en, with the checks a reader needs: short, no holes, a link.
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
import { formatAlertGroup, grafanaTitle } from './shared/alerts.js'
import { LOCALES } from './shared/locale.js'
import { Snapshots } from './shared/snapshot.js'
import { formatMonitorAlert, parseMonitorAlert } from './monitor/index.js'

const here = fileURLToPath(new URL('.', import.meta.url))
const fixtures = join(here, '../../test/fixtures/senders')
const require = createRequire(import.meta.url)
const examples = require('@octokit/webhooks-examples') as Array<{ name: string; examples: Array<Record<string, any>> }>

function fixture(sender: string): Array<{ name: string; body: any }> {
  return readdirSync(join(fixtures, sender))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: f.replace(/\.json$/, ''), body: JSON.parse(readFileSync(join(fixtures, sender, f), 'utf8')) }))
}

/** Every message to check: one per GitHub event and action, and every fixture of the other senders, in both languages. */
function cases(): Array<{ key: string; message: Message; needsLink: boolean; mustName: string[] }> {
  const out: Array<{ key: string; message: Message; needsLink: boolean; mustName: string[] }> = []
  for (const locale of LOCALES) {
    for (const group of examples.filter((e) => SUPPORTED_EVENTS.includes(e.name))) {
      const seen = new Set<string>()
      for (const p of group.examples) {
        const id = `${group.name}.${p.action ?? '-'}`
        if (seen.has(id)) continue
        seen.add(id)
        out.push({ key: `${locale} github ${id}`, message: formatGithub(group.name, p, locale), needsLink: true, mustName: [p.repository?.full_name ?? p.organization?.login, p.sender?.login].filter(Boolean) })
      }
    }
    for (const f of fixture('gitea')) {
      out.push({ key: `${locale} gitea ${f.name}`, message: formatGithub(f.name, normalizeGitea(f.name, f.body), locale), needsLink: true, mustName: [f.body.repository.full_name, f.body.sender.login] })
    }
    for (const f of fixture('gitlab')) {
      const event = gitlabEvent(null, f.body)
      const actor = f.body.user?.username ?? f.body.user_username
      out.push({ key: `${locale} gitlab ${f.name}`, message: formatGitlab(event, f.body, locale), needsLink: true, mustName: [f.body.project.path_with_namespace, ...(actor ? [actor] : [])] })
    }
    for (const sender of ['alertmanager', 'grafana']) {
      for (const f of fixture(sender)) {
        out.push({ key: `${locale} ${sender} ${f.name}`, message: formatAlertGroup(f.body, locale, 'Asia/Shanghai', sender === 'grafana' ? grafanaTitle(f.body) : undefined), needsLink: true, mustName: [] })
      }
    }
    for (const f of fixture('monitor')) {
      out.push({ key: `${locale} monitor ${f.name}`, message: formatMonitorAlert(parseMonitorAlert(f.body), locale, 'Asia/Shanghai', Date.UTC(2024, 4, 1)), needsLink: false, mustName: [f.body.service] })
    }
  }
  return out
}

test('every built-in message matches its snapshot in both locales, and reads well', () => {
  const snapshots = new Snapshots(join(here, '__snapshots__/messages.snap.json'))
  const all = cases()
  assert.ok(all.length > 200, `expected messages for every event, got ${all.length}`)
  const problems: string[] = []
  for (const c of all) {
    const { text } = c.message
    const lines = text.split('\n')
    if (/undefined|null|\[object Object\]|NaN/.test(text)) problems.push(`${c.key}: a hole in the text: ${text}`)
    if (lines.length > 16 || text.length > 1200) problems.push(`${c.key}: too long (${lines.length} lines, ${text.length} characters)`)
    if (lines.some((l) => [...l].length > 200)) problems.push(`${c.key}: a line longer than 200 characters`)
    if (c.needsLink && !(c.message.link?.url && text.includes(c.message.link.url))) problems.push(`${c.key}: no link`)
    for (const name of c.mustName) if (!text.includes(name)) problems.push(`${c.key}: does not name ${name}`)
    const diff = snapshots.check(c.key, text)
    if (diff) problems.push(diff)
  }
  snapshots.save()
  assert.deepEqual(problems, [])
  if (!snapshots.updating) assert.deepEqual(snapshots.stale(), [], 'snapshots of messages no longer produced')
})
