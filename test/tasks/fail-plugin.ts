// A test plugin with a slow task whose policy is "fail": a restart in the middle must leave it interrupted.
import { definePlugin } from '../../src/index.js'

export const failPlugin = definePlugin({
  name: 'slow-fail',
  version: '1.0.0',
  setup(plugin) {
    plugin.tasks.define<{ steps: number }>(
      'slow',
      async (task) => {
        for (let i = 1; i <= task.params.steps; i++) {
          await new Promise((r) => setTimeout(r, 100))
          if (task.signal.aborted) throw new Error('aborted')
          await task.progress(i / task.params.steps)
        }
        return { done: true }
      },
      { policy: 'fail' },
    )
    plugin.mountWebhook('/start', async () => plugin.tasks.start('slow', { steps: 300 }), { public: true })
    plugin.mountWebhook('/task/:id', async (req) => (await plugin.tasks.get(req.params.id ?? '')) ?? null, { public: true, methods: ['GET'] })
  },
})
