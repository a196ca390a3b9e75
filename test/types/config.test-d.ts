// Type tests of plugin config: fields come from the zod schema, a missing or misspelled field is a compile error.
import { expectTypeOf } from 'expect-type'
import { definePlugin, secret, verify, z } from 'hookcat'
import { pluginConfig } from 'hookcat/testing'

export const plugin = definePlugin({
  name: 'typed-config',
  version: '1.0.0',
  config: z.object({
    webhookSecret: secret(z.string()).describe('GitHub webhook secret'),
    notificationChat: z.string(),
    maxCommits: z.number().int().default(3),
  }),
  setup(p) {
    expectTypeOf(p.config.webhookSecret).toBeString()
    expectTypeOf(p.config.maxCommits).toBeNumber()
    // @ts-expect-error a field the schema does not have
    void p.config.notificationchat
    p.mountWebhook('/x', () => ({ ok: true }), { verify: verify.github(() => p.config.webhookSecret) })
    // @ts-expect-error the handler options are checked too
    p.mountWebhook('/y', () => ({ ok: true }), { mode: 'later' })
  },
})

pluginConfig(plugin, { webhookSecret: 's', notificationChat: 'test-room' })
// @ts-expect-error a missing required config field
pluginConfig(plugin, { webhookSecret: 's' })
// @ts-expect-error a config field of the wrong type
pluginConfig(plugin, { webhookSecret: 's', notificationChat: 'test-room', maxCommits: 'three' })

// @ts-expect-error definePlugin needs a setup function
definePlugin({ name: 'broken', version: '1.0.0' })
