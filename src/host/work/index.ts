// The work core's entry: the lease layer a host runs under (one process on SQLite, a cluster on PostgreSQL).
import type { HookcatConfig } from '../../config/schema.js'
import type { Storage } from '../../storage/types.js'
import type { Logger } from '../../util/logger.js'
import { ClusterLeases } from './cluster-leases.js'
import type { WorkLeases } from './leases.js'
import { LocalLeases } from './local-leases.js'

/** Cluster leases when the storage coordinates several processes; else one process's, with its outbox memory caps. */
export function createLeases(storage: Storage, outbox: HookcatConfig['outbox'], logger: Logger): WorkLeases {
  const { coordinator } = storage
  if (coordinator) return new ClusterLeases({ coordinator, storage, logger: logger.child({ part: 'cluster' }), sendTimeout: outbox.sendTimeout })
  const { perChat, total } = outbox.memory
  return new LocalLeases(storage, logger.child({ part: 'outbox' }), { perChat, total, floor: Math.min(20, perChat), page: perChat })
}
