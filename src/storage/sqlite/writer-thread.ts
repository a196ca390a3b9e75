// Worker thread that owns SQLite's write connection, so each commit's fsync never blocks the event loop.
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads'
import Database from 'better-sqlite3'
import { failedUnit } from '../group-commit.js'
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

parentPort!.on('message', (first: BatchMessage | { close: true }) => {
  // Batches posted while the last transaction committed are waiting in the port: take them all now, so that they share
  // one transaction (one fsync) and the next commit starts without a round trip through the main thread.
  const batches: BatchMessage[] = []
  let close = false
  for (let message: BatchMessage | { close: true } | undefined = first; message; message = receiveMessageOnPort(parentPort!)?.message) {
    if ('close' in message) {
      close = true
      break
    }
    batches.push(message)
  }
  if (batches.length > 0) {
    const units = batches.length === 1 ? batches[0].units : batches.flatMap((b) => b.units)
    restoreBuffers(units)
    let outcomes
    try {
      outcomes = applier.applyBatch(units)
    } catch (error) {
      outcomes = units.map(() => failedUnit(error))
    }
    let offset = 0
    for (const batch of batches) {
      parentPort!.postMessage({ id: batch.id, outcomes: outcomes.slice(offset, offset + batch.units.length) })
      offset += batch.units.length
    }
  }
  if (close) {
    db.close()
    parentPort!.postMessage({ closed: true })
    // Closing the port lets the thread exit now instead of waiting for the owner's terminate() fallback.
    parentPort!.close()
  }
})
