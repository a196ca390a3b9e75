// Named webhooks of an adapter instance (discord-<name>, slack-<name>, …): a list, so that secret() marks every URL.
import { z } from 'zod'

const NAME = /^[A-Za-z0-9_.@:]{1,64}$/

/** Unique names; the config is a list of `{ name, … }` because secret fields are found in lists, not in maps. */
export function namedList<Shape extends z.ZodRawShape>(shape: Shape) {
  return z
    .array(z.object({ name: z.string().regex(NAME, 'a name is 1-64 letters, digits or _ . @ :'), ...shape }).strict())
    .min(1, 'configure at least one')
    .superRefine((list, ctx) => {
      const seen = new Set<string>()
      list.forEach((entry, i) => {
        const item = entry as { name: string }
        if (seen.has(item.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `"${item.name}" is used twice` })
        seen.add(item.name)
      })
    })
}

/** A checkChannel for adapters whose channel is one of the configured names. */
export function namedChannels<T extends { name: string }>(list: T[], what: string): { get(name: string): T | undefined; check(channel: string): string | undefined } {
  const byName = new Map(list.map((item) => [item.name, item]))
  return {
    get: (name) => byName.get(name),
    check: (channel) => (byName.has(channel) ? undefined : `no ${what} named "${channel.slice(0, 64)}" is configured (configured: ${[...byName.keys()].join(', ')})`),
  }
}
