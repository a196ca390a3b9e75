// The built-in plugins hookcat loads unless `builtins: false`.
import type { DefinedPlugin } from '../host/plugin/types.js'
import alertmanager from './alertmanager/index.js'
import gitea from './gitea/index.js'
import github from './github/index.js'
import gitlab from './gitlab/index.js'
import grafana from './grafana/index.js'
import hookcat from './hookcat/index.js'
import monitor from './monitor/index.js'
import relay from './relay/index.js'
import status from './status/index.js'
import tasks from './tasks/index.js'
import upload from './upload/index.js'

export const builtinPlugins: DefinedPlugin[] = [github, gitlab, gitea, alertmanager, grafana, monitor, upload, status, tasks, relay, hookcat] as DefinedPlugin[]
