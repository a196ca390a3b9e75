// Turns any failure of a command into a clear message on stderr and an exit code, never a stack trace.
import { CommanderError } from 'commander'
import { ConfigError } from '../config/load.js'

/** An error whose message is meant for the person at the terminal. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message)
    this.name = 'CliError'
  }
}

/** Exit code for an invalid or unreadable configuration (distinct from 1, "the command failed"). */
export const EXIT_CONFIG = 2

/** Writes the error for a human and returns the exit code to use. */
export function reportError(error: unknown, stderr: NodeJS.WritableStream = process.stderr): number {
  // Commander has already printed its own message (unknown command, missing argument, …).
  if (error instanceof CommanderError) return error.exitCode
  if (error instanceof ConfigError) {
    stderr.write(`hookcat: ${error.message}\n`)
    return EXIT_CONFIG
  }
  if (error instanceof CliError) {
    stderr.write(`hookcat: ${error.message}\n`)
    return error.exitCode
  }
  const message = error instanceof Error ? error.message : String(error)
  stderr.write(`hookcat: ${message.split('\n')[0]}\n`)
  if (process.env.HOOKCAT_DEBUG && error instanceof Error && error.stack) stderr.write(`${error.stack}\n`)
  return 1
}
