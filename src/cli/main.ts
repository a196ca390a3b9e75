#!/usr/bin/env node
// The hookcat command line's entry point (package bin `hookcat`).
import { buildProgram } from './program.js'

await buildProgram().parseAsync(process.argv)
