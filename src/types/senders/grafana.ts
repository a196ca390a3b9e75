// Payload of Grafana (unified alerting) webhook contact points: Alertmanager's shape plus Grafana's own fields.
import type { AlertmanagerAlert, AlertStatus } from './alertmanager.js'

export interface GrafanaAlert extends AlertmanagerAlert {
  silenceURL: string
  dashboardURL: string
  panelURL: string
  /** Values of the query's expressions, e.g. { B: 97.3 }; null when none. */
  values: Record<string, number> | null
  /** Absent in Grafana's documented example; present in newer versions. */
  valueString?: string
  imageURL?: string
}

export interface GrafanaPayload {
  receiver: string
  status: AlertStatus
  orgId: number
  alerts: GrafanaAlert[]
  groupLabels: Record<string, string>
  commonLabels: Record<string, string>
  commonAnnotations: Record<string, string>
  externalURL: string
  version: '1'
  groupKey: string
  truncatedAlerts: number
  title: string
  state: 'alerting' | 'ok'
  message: string
}
