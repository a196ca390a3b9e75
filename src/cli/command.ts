// What a command file exports: a function that adds its command (with options, help and action) to the program.
import type { Command } from 'commander'

export type RegisterCommand = (program: Command) => void
