// Payload of the page's generic monitoring alert (built-in plugin `monitor`): service, level, message, timestamp, metrics.

export type MonitorLevel = 'critical' | 'error' | 'warning' | 'info'

export interface MonitorAlert {
  service: string
  /** One of MonitorLevel; other values are shown with a generic icon. */
  level: MonitorLevel | (string & {})
  message?: string
  /** Unix time in seconds, or an ISO 8601 date-time; the time of receipt when absent. */
  timestamp?: number | string
  metrics?: Record<string, string | number | boolean>
}
