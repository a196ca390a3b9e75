#!/usr/bin/env node
// The hookcat command line's entry point (package bin `hookcat`): runs the program, reports failures without stack traces.
import { reportError } from './errors.js'
import { buildProgram } from './program.js'

try {
  await buildProgram().parseAsync(process.argv)
} catch (error) {
  process.exitCode = reportError(error)
}
