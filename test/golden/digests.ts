// Digest messages in the golden corpus: bursts of the built-in plugins' sample messages folded as the outbox folds them.
import { digestMessage } from '../../src/host/outbox/digest.js'
import { LOCALES } from '../../src/plugins/shared/locale.js'
import { goldenSamples, type Sample } from './samples.js'

/** A burst of each kind, by the samples that make it up (plugin/sample), in the order they would arrive. */
const BURSTS: Record<string, string[]> = {
  'github-burst': ['github/push', 'github/pull_request.opened', 'github/workflow_run.failure', 'github/issues', 'github/release', 'github/star'],
  'alerts-burst': ['alertmanager/firing', 'grafana/firing', 'monitor/alert', 'alertmanager/two-pods', 'alertmanager/resolved', 'monitor/info'],
}

export function digestSamples(samples = goldenSamples()): Sample[] {
  const out: Sample[] = []
  for (const locale of LOCALES) {
    for (const [name, members] of Object.entries(BURSTS)) {
      const messages = members.flatMap((key) => samples.find((s) => `${s.plugin}/${s.sample}` === key && s.locale === locale)?.message ?? [])
      out.push({ plugin: 'digest' as never, sample: name, locale, message: digestMessage(messages.map((message) => ({ message })), locale) })
    }
  }
  return out
}
