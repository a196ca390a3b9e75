// Payload of Prometheus Alertmanager's webhook receiver (version "4"), as documented by Prometheus.

export type AlertStatus = 'firing' | 'resolved'

export interface AlertmanagerAlert {
  status: AlertStatus
  labels: Record<string, string>
  annotations: Record<string, string>
  /** RFC 3339. */
  startsAt: string
  /** RFC 3339; "0001-01-01T00:00:00Z" while firing. */
  endsAt: string
  generatorURL: string
  fingerprint: string
}

export interface AlertmanagerPayload {
  version: '4'
  groupKey: string
  truncatedAlerts: number
  status: AlertStatus
  receiver: string
  groupLabels: Record<string, string>
  commonLabels: Record<string, string>
  commonAnnotations: Record<string, string>
  externalURL: string
  alerts: AlertmanagerAlert[]
}
