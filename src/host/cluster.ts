// Work sharing when several processes use one database: lease renewal, takeover of a dead process's work, chat adoption.
import type { Logger } from '../util/logger.js'
import type { WorkCoordinator } from '../storage/coordination.js'
import type { Inbox } from './inbox/inbox.js'
import type { Outbox } from './outbox/outbox.js'
import type { TaskRunner } from './tasks/runner.js'

export interface ClusterDeps {
  coordinator: WorkCoordinator
  inbox: Inbox
  outbox: Outbox
  tasks: TaskRunner
  logger: Logger
}

/** How often a process looks for work whose owner died, and for chats nobody dispatches. */
const SWEEP_MS = 1000

export class ClusterWork {
  private timers: NodeJS.Timeout[] = []
  private unsubscribe?: () => void
  private stopped = false
  private sweeping = false

  constructor(private readonly deps: ClusterDeps) {}

  async start(): Promise<void> {
    const { coordinator, outbox } = this.deps
    this.unsubscribe = await coordinator.onMessages((chatKeys) => outbox.adopt(chatKeys))
    await this.sweep()
    this.every(Math.max(250, Math.floor(coordinator.leaseMs / 3)), () => this.renew())
    this.every(Math.min(SWEEP_MS, coordinator.leaseMs), () => this.sweep())
  }

  stop(): void {
    this.stopped = true
    for (const timer of this.timers) clearInterval(timer)
    this.timers = []
    this.unsubscribe?.()
  }

  private every(ms: number, work: () => Promise<void>): void {
    const timer = setInterval(() => {
      if (!this.stopped) void work().catch((error) => this.deps.logger.error({ err: (error as Error).message }, 'cluster work failed'))
    }, ms)
    timer.unref()
    this.timers.push(timer)
  }

  private async renew(): Promise<void> {
    const since = Date.now()
    const held = this.deps.outbox.heldChats()
    const lost = await this.deps.coordinator.renew([...held.keys()], this.deps.tasks.heldTasks())
    if (lost.length) this.deps.outbox.dropChats(lost, held)
    this.deps.outbox.leasesRenewed(held, lost, since)
  }

  /** Takes over deliveries and tasks whose lease expired (their process died) and adopts chats that no live process dispatches. */
  private async sweep(): Promise<void> {
    if (this.sweeping) return
    this.sweeping = true
    try {
      const { coordinator, inbox, outbox } = this.deps
      for (let page = 0; page < 20 && !this.stopped; page++) {
        const rows = await coordinator.claimExpiredDeliveries(200)
        for (const row of rows) inbox.enqueue({ row })
        if (rows.length) this.deps.logger.info({ deliveries: rows.length }, 'took over deliveries of a process that stopped')
        if (rows.length < 200) break
      }
      const orphans = await coordinator.orphanChats(500)
      if (orphans.length) outbox.adopt(orphans)
      const tasks = await this.deps.tasks.claim()
      if (tasks) this.deps.logger.info({ tasks }, 'took over tasks of a process that stopped')
    } finally {
      this.sweeping = false
    }
  }
}
