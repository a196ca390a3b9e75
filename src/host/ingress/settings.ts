// The ingress settings of a config: its limits from server, inbox and retention, in one place.
import type { HookcatConfig } from '../../config/schema.js'
import type { IngressSettings } from './ingress.js'

/** The ingress settings of a config: limits from server, inbox and retention. */
export function ingressSettings(config: HookcatConfig, baseUrl: () => string, adminToken: () => string): IngressSettings {
  const { server, inbox, retention } = config
  return {
    bodyLimit: server.bodyLimit,
    storeBodyLimit: retention.storeBodyLimit,
    handlerTimeout: server.handlerTimeout,
    maxInFlight: server.maxInFlight,
    maxBacklog: inbox.maxBacklog,
    maxBacklogBytes: inbox.maxBacklogBytes,
    trustProxy: server.trustProxy,
    unverifiedBodyBudget: server.unverifiedBodyBudget,
    maxUnverifiedPerClient: server.maxUnverifiedPerClient,
    baseUrl,
    adminToken,
  }
}
