// In-process events of the host (deliveries recorded, messages sent, web room posts) for live views and plugins.
import { EventEmitter } from 'node:events'
import type { DeliveryStatus, OutboxState } from '../storage/types.js'

export interface HostEventMap {
  delivery: [{ id: string; plugin: string; path: string; method: string; status: DeliveryStatus; responseStatus: number | null; receivedAt: number; durationMs: number | null; duplicate?: boolean }]
  message: [{ id: string; chatKey: string; state: OutboxState; attempts: number; error?: string | null }]
  'web.message': [{ seq: number; room: string; message: unknown; createdAt: number }]
}

export class HostEvents extends EventEmitter<HostEventMap> {
  constructor() {
    super()
    // Many SSE clients may listen at once; the default of 10 would warn.
    this.setMaxListeners(1000)
  }
}
