// Loads hookcat.yaml for a command: the global --config option (or HOOKCAT_CONFIG), plus values from the command line.
import { dirname } from 'node:path'
import type { Command } from 'commander'
import { loadConfig } from '../config/load.js'
import type { HookcatConfig } from '../config/schema.js'

export interface CliConfig {
  config: HookcatConfig
  /** The file read, or undefined when defaults are used. */
  file?: string
  /** Relative paths in the config (storage, dataDir, pluginsDir) are resolved against the config file's folder. */
  baseDir: string
  /** Unset variables of plugin and adapter settings that a read-only command left out. */
  omittedEnv: string[]
}

/**
 * The config for a command. `serve` and `dev` need every variable the config names (they fail closed); commands that
 * read or talk to the running server pass readOnly, so that they work without the server's secrets in their shell.
 */
export function loadCliConfig(command: Command, overrides?: Record<string, unknown>, options: { readOnly?: boolean } = {}): CliConfig {
  const { config: file } = command.optsWithGlobals<{ config?: string }>()
  const loaded = loadConfig({ file, overrides, readOnly: options.readOnly })
  return { config: loaded.config, file: loaded.file, baseDir: loaded.file ? dirname(loaded.file) : process.cwd(), omittedEnv: loaded.omittedEnv }
}

/** How the config was found, for banners: the file, or a note that defaults are used. */
export function describeConfigSource(cli: CliConfig): string {
  return cli.file ?? 'none found (./hookcat.yaml), using defaults'
}
