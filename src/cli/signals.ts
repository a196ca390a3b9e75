// Graceful shutdown for `hookcat serve`: the first SIGINT/SIGTERM stops the host and exits 0, a second one exits at once.
import type { Host } from '../host/host.js'

/** Longest a graceful stop may take before the process exits anyway. */
const STOP_DEADLINE_MS = 20_000

export function stopOnSignals(host: Host): void {
  let stopping = false
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write(`hookcat: ${signal} again, exiting now\n`)
      process.exit(1)
    }
    stopping = true
    host.logger.info({ signal }, 'stopping: finishing running work (send the signal again to exit at once)')
    setTimeout(() => {
      process.stderr.write('hookcat: graceful stop took too long, exiting\n')
      process.exit(1)
    }, STOP_DEADLINE_MS).unref()
    host.stop().then(
      () => {
        host.logger.info('stopped')
        process.exit(0)
      },
      (error: unknown) => {
        process.stderr.write(`hookcat: stopping failed: ${(error as Error).message}\n`)
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
}
