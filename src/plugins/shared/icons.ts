// Icons and levels shared by every built-in, so that the same state looks the same in every chat.
import type { Message } from '../../index.js'

const FAILED = new Set(['failure', 'failed', 'error', 'startup_failure', 'timed_out'])
const PASSED = new Set(['success', 'succeeded', 'passed', 'fixed'])
const NEUTRAL = new Set(['cancelled', 'canceled', 'skipped', 'neutral', 'stale', 'inactive'])
const RUNNING = new Set(['in_progress', 'running'])

/** The icon and level of a CI, check, deployment or pipeline state. */
export function stateLook(state: string): { icon: string; level?: Message['level'] } {
  if (FAILED.has(state)) return { icon: '❌', level: 'error' }
  if (PASSED.has(state)) return { icon: '✅', level: 'success' }
  if (NEUTRAL.has(state)) return { icon: '⚪' }
  if (RUNNING.has(state)) return { icon: '⏳' }
  if (state === 'action_required') return { icon: '⚠️', level: 'warning' }
  return { icon: '🕒' }
}

/** Monitor and alert severities, as on the page: critical 🔴, error 🟠, warning 🟡, info 🔵, anything else ⚠️. */
export function severityLook(level: string): { icon: string; level: Message['level'] } {
  switch (level.toLowerCase()) {
    case 'critical':
    case 'fatal':
    case 'emergency':
    case 'page':
      return { icon: '🔴', level: 'critical' }
    case 'error':
    case 'high':
      return { icon: '🟠', level: 'error' }
    case 'warning':
    case 'warn':
    case 'medium':
      return { icon: '🟡', level: 'warning' }
    case 'info':
    case 'low':
    case 'none':
      return { icon: '🔵', level: 'info' }
    default:
      return { icon: '⚠️', level: 'warning' }
  }
}
