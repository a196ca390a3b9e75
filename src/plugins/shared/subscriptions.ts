// Routes that chats added themselves (/hookcat subscribe), kept in the hookcat plugin's store, merged with the config's.
import type { PluginStore } from '../../index.js'

export const FORGES = ['github', 'gitlab', 'gitea'] as const
export type Forge = (typeof FORGES)[number]

export interface Subscription {
  forge: Forge
  /** owner/repo (a repository) or a bare owner / GitLab group (an organisation). */
  target: string
  chatKey: string
  /** Only these events ("push", "pull_request.opened"); empty: every event the quiet defaults let through. */
  events: string[]
  by: string
  at: number
}

export const subscriptionKey = (s: Pick<Subscription, 'forge' | 'chatKey' | 'target'>): string => `sub:${s.forge}:${s.chatKey}:${s.target.toLowerCase()}`

let source: PluginStore | undefined

/** Set by the hookcat plugin while it is loaded; the forge plugins read the subscriptions through it. */
export function useSubscriptionStore(store: PluginStore | undefined): void {
  source = store
}

export async function listSubscriptions(forge?: Forge, chatKey?: string): Promise<Subscription[]> {
  if (!source) return []
  const prefix = forge ? `sub:${forge}:${chatKey ? `${chatKey}:` : ''}` : 'sub:'
  const rows = await source.list<Subscription>(prefix)
  return rows.map((r) => r.value).filter((s) => !chatKey || s.chatKey === chatKey)
}
