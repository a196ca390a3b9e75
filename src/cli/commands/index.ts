// The list of hookcat's commands: to add one, create commands/<name>.ts exporting a register function and add it here.
import type { RegisterCommand } from '../command.js'
import { registerServe } from './serve.js'
import { registerPlugins } from './plugins.js'
import { registerDeliveries } from './deliveries.js'
import { registerSend } from './send.js'
import { registerReplay } from './replay.js'
import { registerMigrate } from './migrate.js'
import { registerOutbox } from './outbox.js'
import { registerNew } from './new.js'
import { registerDev } from './dev.js'
import { registerSimulate } from './simulate.js'
import { registerConfig } from './config.js'
import { registerRender } from './render.js'
import { registerMute } from './mute.js'

/** In the order `hookcat --help` shows them. */
export const commands: RegisterCommand[] = [
  registerServe,
  registerPlugins,
  registerDeliveries,
  registerSend,
  registerReplay,
  registerOutbox,
  registerMigrate,
  registerNew,
  registerDev,
  registerSimulate,
  registerRender,
  registerConfig,
  registerMute,
]
