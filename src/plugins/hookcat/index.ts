// The built-in chat commands: /hookcat help, subscribe, unsubscribe, list, mute, unmute, status (zh-CN and en, from the chat's locale).
import { definePlugin, parseDuration, z } from '../../index.js'
import { FORGES, listSubscriptions, subscriptionKey, useSubscriptionStore, type Forge, type Subscription } from '../shared/subscriptions.js'
import { COMMAND_WORDS, endsAt, spanWords, T } from './text.js'

/** The event the forge plugins answer with the config routes that name a chat (see answerRouteQueries). */
export const ROUTES_QUERY = 'routes.query'
export interface RoutesQuery {
  chatKey: string
  found: Array<{ forge: string; target: string; events: string[] }>
}

const MAX_PER_CHAT = 50
const target = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/, 'owner/repo or a group name')
const eventName = z.string().regex(/^[a-z_]+(\.[a-z_]+)?$/, 'an event name such as push or pull_request.opened')
/** A built-in command's description as the admin API and UI list it (the help says it in the chat's language). */
const described = (name: string): string => COMMAND_WORDS[name].en
const PATHS: Record<Forge, string> = { github: '/github', gitlab: '/gitlab', gitea: '/gitea' }

export default definePlugin({
  name: 'hookcat',
  version: '1.0.0',
  description: 'Chat commands: /hookcat help, subscribe, unsubscribe, list, mute, unmute, status. A group subscribes itself to a repository.',
  setup(plugin) {
    useSubscriptionStore(plugin.store)
    plugin.effect(() => useSubscriptionStore(undefined))
    const publicUrl = () => plugin.host.webhookUrl('/').replace(/\/api\/plugin\/hookcat\/webhook$/, '')

    const help = async (ctx: { locale: 'zh-CN' | 'en'; reply: (m: string) => Promise<unknown> }) => {
      // The bare /hookcat is this help again; the built-in commands are described in the chat's language.
      const lines = plugin.host
        .commands()
        .filter((c) => c.name !== 'hookcat')
        .map((c) => {
          const said = c.plugin === plugin.name ? COMMAND_WORDS[c.name]?.[ctx.locale] : undefined
          const description = said ?? c.description
          return `${c.usage}${description ? ` — ${description}` : ''}`
        })
      await ctx.reply([T.help[ctx.locale], ...lines].join('\n'))
    }
    plugin.command('hookcat', { description: described('hookcat help'), permission: 'member' }, help)
    plugin.command('hookcat help', { description: described('hookcat help'), permission: 'member' }, help)

    plugin.command(
      'hookcat subscribe',
      {
        description: described('hookcat subscribe'),
        args: z.object({ forge: z.enum(FORGES), target, events: z.array(eventName).max(20) }),
        permission: 'admin',
      },
      async (ctx) => {
        const { forge, events } = ctx.args
        const sub: Subscription = { forge, target: ctx.args.target, chatKey: ctx.chatKey, events, by: ctx.sender.id, at: Date.now() }
        const key = subscriptionKey(sub)
        const existing = await plugin.store.get<Subscription>(key)
        if (!existing && (await listSubscriptions(undefined, ctx.chatKey)).length >= MAX_PER_CHAT) return void (await ctx.reply(T.tooMany[ctx.locale]))
        await plugin.store.set(key, sub)
        plugin.logger.info({ chatKey: ctx.chatKey, forge, target: sub.target, by: ctx.sender.id }, 'chat subscribed')
        const url = `${publicUrl()}/api/plugin/${forge}/webhook${PATHS[forge]}`
        await ctx.reply(existing ? T.already[ctx.locale](forge, sub.target) : T.subscribed[ctx.locale](forge, sub.target, events, url))
      },
    )

    plugin.command(
      'hookcat unsubscribe',
      { description: described('hookcat unsubscribe'), args: z.object({ forge: z.enum(FORGES), target }), permission: 'admin' },
      async (ctx) => {
        const removed = await plugin.store.delete(subscriptionKey({ forge: ctx.args.forge, target: ctx.args.target, chatKey: ctx.chatKey }))
        await ctx.reply(removed ? T.unsubscribed[ctx.locale](ctx.args.forge, ctx.args.target) : T.notSubscribed[ctx.locale](ctx.args.forge, ctx.args.target))
      },
    )

    plugin.command('hookcat list', { description: described('hookcat list'), permission: 'admin' }, async (ctx) => {
      const query: RoutesQuery = { chatKey: ctx.chatKey, found: [] }
      await plugin.emit(ROUTES_QUERY, query)
      const all = (events: string[]) => (events.length ? events.join(', ') : T.allEvents[ctx.locale])
      const lines = [
        ...query.found.map((r) => `• ${r.forge} ${r.target} — ${all(r.events)}${T.fromConfig[ctx.locale]}`),
        ...(await listSubscriptions(undefined, ctx.chatKey)).map((s) => `• ${s.forge} ${s.target} — ${all(s.events)}${T.fromChat[ctx.locale]}`),
      ]
      await ctx.reply(lines.length ? [T.listHead[ctx.locale], ...lines].join('\n') : T.listEmpty[ctx.locale])
    })

    plugin.command('hookcat status', { description: described('hookcat status'), permission: 'admin' }, async (ctx) => {
      const status = await plugin.host.chatStatus(ctx.chatKey)
      const muted = status.mutedUntil ? [T.statusMuted[ctx.locale](endsAt(status.mutedUntil, ctx.locale, status.timeZone))] : []
      if (status.dead.length === 0) return void (await ctx.reply([T.statusOk[ctx.locale](status.waiting), ...muted].join('\n')))
      const lines = status.dead.map((d) => `• ${endsAt(d.at, ctx.locale, status.timeZone)} ${d.plugin ?? ''}: ${(d.error ?? '').slice(0, 120)}`)
      await ctx.reply([T.statusDead[ctx.locale](status.dead.length, status.waiting), ...lines, ...muted].join('\n'))
    })

    plugin.command(
      'hookcat mute',
      {
        description: described('hookcat mute'),
        args: z.object({ duration: z.string().refine((d) => parseDuration(d) !== undefined, 'a duration such as 30m, 2h, 1d or 1h30m (at most a year)') }),
        permission: 'admin',
      },
      async (ctx) => {
        const ms = parseDuration(ctx.args.duration)!
        const muted = await plugin.host.muteChat(ctx.chatKey, ms)
        plugin.logger.info({ chatKey: ctx.chatKey, until: muted.until, by: ctx.sender.id }, 'chat muted')
        await ctx.reply(T.muted[ctx.locale](spanWords(ms, ctx.locale), endsAt(muted.until, ctx.locale, muted.timeZone), muted.held))
      },
    )

    plugin.command('hookcat unmute', { description: described('hookcat unmute'), permission: 'admin' }, async (ctx) => {
      const { unmuted, held } = await plugin.host.unmuteChat(ctx.chatKey)
      if (unmuted) plugin.logger.info({ chatKey: ctx.chatKey, by: ctx.sender.id }, 'chat unmuted')
      await ctx.reply(unmuted ? T.unmuted[ctx.locale](held) : T.notMuted[ctx.locale])
    })
  },
})
