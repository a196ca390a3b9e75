// Builds the Host a command runs: the config's plugins (built-ins unless `builtins: false`) and the built-in adapters.
import { builtinAdapters } from '../adapters/index.js'
import { Host } from '../host/host.js'
import { builtinPlugins } from '../plugins/index.js'
import { createLogger, type Logger } from '../util/logger.js'
import type { CliConfig } from './config.js'

export function createCliHost(cli: CliConfig, options: { listen?: boolean; logger?: Logger; strictConfig?: boolean; tolerateAdapters?: boolean } = {}): Host {
  const plugins = cli.config.builtins ? builtinPlugins.map((definition) => ({ definition, source: 'builtin' })) : []
  return new Host({ config: cli.config, plugins, adapters: builtinAdapters, baseDir: cli.baseDir, listen: options.listen, logger: options.logger, strictConfig: options.strictConfig, tolerateAdapters: options.tolerateAdapters })
}

/** For inspection commands: their output is the point, so the host's own logs stay quiet unless HOOKCAT_LOG_LEVEL asks. */
export function quietLogger(): Logger {
  return createLogger({ level: process.env.HOOKCAT_LOG_LEVEL ?? 'silent', destination: process.stderr })
}
