// The delivery a handler is running for, so that its plugin.send() calls commit together with the delivery.
import { AsyncLocalStorage } from 'node:async_hooks'
import type { OutboxInsert } from '../../storage/types.js'

export interface DeliveryScope {
  plugin: string
  deliveryId: string
  /** Messages sent while the handler runs; written in the same transaction as the delivery's result. */
  pending: OutboxInsert[]
  /** False once the result is committed or abandoned; later sends are stored on their own. */
  open: boolean
}

export const deliveryScope = new AsyncLocalStorage<DeliveryScope>()
