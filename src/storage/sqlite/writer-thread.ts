// Worker thread that owns SQLite's write connection, so each commit's fsync never blocks the event loop.
import { parentPort, workerData } from 'node:worker_threads'
import Database from 'better-sqlite3'
import type { WriteOp } from '../types.js'
import { SqliteApplier } from './apply.js'
import { configureConnection } from './migrations.js'

interface BatchMessage {
  id: number
  units: WriteOp[][]
}

const { file } = workerData as { file: string }
const db = new Database(file)
configureConnection(db)
const applier = new SqliteApplier(db)
parentPort!.postMessage({ ready: true })

/** Structured clone turns Buffers into Uint8Arrays; better-sqlite3 binds Buffers. */
function restoreBuffers(units: WriteOp[][]): void {
  for (const unit of units) {
    for (const op of unit) {
      if (op.op === 'delivery.insert' && op.delivery.body && !Buffer.isBuffer(op.delivery.body)) {
        const u8 = op.delivery.body as unknown as Uint8Array
        op.delivery.body = Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength)
      }
    }
  }
}

parentPort!.on('message', (message: BatchMessage | { close: true }) => {
  if ('close' in message) {
    db.close()
    parentPort!.postMessage({ closed: true })
    // Closing the port lets the thread exit now instead of waiting for the owner's terminate() fallback.
    parentPort!.close()
    return
  }
  restoreBuffers(message.units)
  let outcomes
  try {
    outcomes = applier.applyBatch(message.units)
  } catch (error) {
    outcomes = message.units.map(() => ({ error: (error as Error).message }))
  }
  parentPort!.postMessage({ id: message.id, outcomes })
})
