// The built-in plugins hookcat loads unless `builtins: false`.
import type { DefinedPlugin } from '../host/plugin/types.js'
import status from './status/index.js'

export const builtinPlugins: DefinedPlugin[] = [status as DefinedPlugin]
