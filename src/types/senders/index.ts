// Every sender's payload types in one place, for `import type { … } from 'hookcat'`.
export type * from './github.js'
export type * from './gitlab.js'
export type * from './gitea.js'
export type * from './alertmanager.js'
export type * from './grafana.js'
export type * from './monitor.js'
