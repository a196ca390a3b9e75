// Type tests of plugin-to-plugin events: declared events check their data on emit and on subscribe.
import { expectTypeOf } from 'expect-type'
import { definePlugin } from 'hookcat'

declare module 'hookcat' {
  interface PluginEvents {
    'release.published': { repository: string; tag: string }
  }
}

export const plugin = definePlugin({
  name: 'events-types',
  version: '1.0.0',
  setup(p) {
    void p.emit('release.published', { repository: 'o/r', tag: 'v1' })
    // @ts-expect-error wrong data for a declared event
    void p.emit('release.published', { repository: 'o/r', tga: 'v1' })
    p.on('release.published', (data, meta) => {
      expectTypeOf(data.tag).toBeString()
      expectTypeOf(meta.plugin).toBeString()
    })
    p.on('github:release.published', (data) => {
      expectTypeOf(data.repository).toBeString()
      // @ts-expect-error not a field of the declared event
      void data.version
    })
    // Undeclared events carry unknown data: it must be checked before use.
    p.on('something.else', (data) => {
      expectTypeOf(data).toBeUnknown()
    })
  },
})
