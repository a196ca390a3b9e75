// Overview: deliveries per minute, success rate, outbox depth and dead letters as small inline SVG charts.
import { api, follow } from '../api.js'
import { errorText, fill, h, svg } from '../dom.js'
import { lang, t } from '../i18n.js'

function barChart(buckets) {
  const width = 600
  const height = 120
  const max = Math.max(1, ...buckets.map((b) => b.total))
  const w = width / buckets.length
  const bars = buckets.map((b, i) => {
    const total = (b.total / max) * (height - 14)
    const failed = (b.failed / max) * (height - 14)
    const label = t('ov.barLabel', { at: new Date(b.at).toLocaleTimeString(lang(), { hour: '2-digit', minute: '2-digit' }), total: b.total, failed: b.failed })
    return svg('g', {}, svg('title', {}, label), svg('rect', { class: 'bar', x: i * w + 1, y: height - total, width: w - 2, height: total }), svg('rect', { class: 'bar failed', x: i * w + 1, y: height - failed, width: w - 2, height: failed }))
  })
  // Stretched to the card's width at a fixed height, so it holds no text (text would be stretched too).
  return h('figure', { class: 'bars' }, h('figcaption', { class: 'help' }, t('ov.max', { max })), svg('svg', { viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: 'none', class: 'chart wide-chart', role: 'img', 'aria-label': t('ov.chartLabel', { max }) }, ...bars))
}

function ring(rate) {
  const r = 40
  const c = 2 * Math.PI * r
  const pct = rate === null ? null : Math.round(rate * 1000) / 10
  const arc = svg('circle', { cx: 50, cy: 50, r, class: 'ring-value', 'stroke-dasharray': `${rate === null ? 0 : rate * c} ${c}`, transform: 'rotate(-90 50 50)' })
  return svg('svg', { viewBox: '0 0 100 100', class: 'ring', role: 'img', 'aria-label': pct === null ? t('ov.noFinished') : t('ov.rateLabel', { pct }) }, svg('circle', { cx: 50, cy: 50, r, class: 'ring-track' }), arc, svg('text', { x: 50, y: 56, 'text-anchor': 'middle', class: 'ring-text' }, pct === null ? '—' : `${pct}%`))
}

function stateBars(counts) {
  const states = ['pending', 'sending', 'delivered', 'dead', 'discarded']
  const max = Math.max(1, ...states.map((s) => counts[s] ?? 0))
  const rows = states.map((s, i) => {
    const n = counts[s] ?? 0
    return svg('g', {}, svg('text', { x: 0, y: i * 22 + 15, class: 'axis' }, t(`word.${s}`)), svg('rect', { class: `bar state-${s}`, x: 70, y: i * 22 + 4, height: 14, width: Math.max(n ? 2 : 0, (n / max) * 110) }), svg('text', { x: 76 + (n / max) * 110, y: i * 22 + 15, class: 'axis' }, String(n)))
  })
  return svg('svg', { viewBox: '0 0 220 112', class: 'chart small', role: 'img', 'aria-label': states.map((s) => `${t(`word.${s}`)} ${counts[s] ?? 0}`).join(', ') }, ...rows)
}

export function renderOverview(root) {
  const body = h('div', { class: 'grid' }, h('p', {}, t('loading')))
  root.append(h('h1', {}, t('nav.overview')), body)
  let timer
  let stopped = false
  const load = async () => {
    try {
      const [stats, refused] = await Promise.all([api('/stats'), api('/refusals')])
      if (stopped) return
      fill(body, 
        h('section', { class: 'card wide', 'aria-labelledby': 'ov-rate' }, h('h2', { id: 'ov-rate' }, t('ov.perMinute')), barChart(stats.deliveriesPerMinute), h('p', { class: 'help' }, t('ov.totals', { total: stats.deliveries.total, failed: stats.deliveries.failed, inProgress: stats.deliveries.inProgress }))),
        h('section', { class: 'card', 'aria-labelledby': 'ov-success' }, h('h2', { id: 'ov-success' }, t('ov.success')), ring(stats.successRate)),
        h('section', { class: 'card', 'aria-labelledby': 'ov-outbox' }, h('h2', { id: 'ov-outbox' }, t('nav.outbox')), stateBars(stats.outbox)),
        h('section', { class: 'card', 'aria-labelledby': 'ov-dead' }, h('h2', { id: 'ov-dead' }, t('ov.dead')), h('p', { class: `big ${stats.deadLetters ? 'bad' : ''}` }, String(stats.deadLetters)), stats.deadLetters ? h('a', { href: '#/outbox?state=dead', id: 'review-dead' }, t('ov.reviewDead')) : h('p', { class: 'help' }, t('none'))),
        h('section', { class: 'card', 'aria-labelledby': 'ov-refused' }, h('h2', { id: 'ov-refused' }, t('ov.refused')), h('p', { class: 'big', 'data-testid': 'refused-total' }, String(refused.total)), h('p', { class: 'help' }, refused.refusals.slice(0, 3).map((r) => `${r.plugin}${r.route} ${r.reason}: ${r.count}`).join('; ') || t('ov.refusedNone'))),
        h('section', { class: 'card', 'aria-labelledby': 'ov-backlog' }, h('h2', { id: 'ov-backlog' }, t('ov.backlog')), h('p', { class: 'big' }, String(stats.inboxBacklog)), h('p', { class: 'help' }, t('ov.backlogHelp'))),
      )
    } catch (e) {
      fill(body, h('p', { class: 'error', role: 'alert' }, errorText(e)))
    }
  }
  let pending = false
  const soon = () => {
    if (pending) return
    pending = true
    setTimeout(() => ((pending = false), load()), 1000)
  }
  void load()
  timer = setInterval(load, 15_000)
  const stop = follow('/events', { delivery: soon, message: soon })
  return () => {
    stopped = true
    clearInterval(timer)
    stop()
  }
}
