// Resolves a message's mentions for one adapter instance from the `people` map: people and groups become that
// instance's ids, sender identities are looked up, and people without an id there are kept as plain names.
import type { People, Person, PlatformId } from '../config/people.js'
import type { MentionRef, Message } from './messages.js'
import type { AdapterInstance } from './outbox/adapter.js'

const IDENTITIES = ['github', 'gitlab', 'gitea', 'email'] as const

const lower = (s: string) => s.toLowerCase()
const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v])

export interface MentionResolver {
  (message: Message): Message
}

/** A resolver for one adapter instance (its name is the key of the ids in each person). */
export function mentionResolver(people: People, adapter: string, adapterType: string): MentionResolver {
  // Identity → person name, case-insensitively (logins and addresses are case-insensitive on every forge).
  const byIdentity = new Map<string, string>()
  for (const [name, entry] of Object.entries(people)) {
    if (Array.isArray(entry)) continue
    for (const key of IDENTITIES) for (const value of list(entry[key] as string | string[] | undefined)) byIdentity.set(`${key}:${lower(value)}`, name)
  }

  const idOf = (person: Person): MentionRef | undefined => {
    const raw = person[adapter] as PlatformId | undefined
    if (raw === undefined) {
      // An e-mail adapter reaches a person at the address the people map gives as their identity.
      const address = list(person.email as string | string[] | undefined)[0]
      return adapterType === 'email' && address ? { id: address } : undefined
    }
    if (typeof raw === 'string') return { id: raw }
    const out: MentionRef = {}
    const id = raw.userId ?? raw.id
    if (id !== undefined) out.id = id
    if (raw.mobile !== undefined) out.mobile = raw.mobile
    return out
  }

  const personRefs = (name: string, shown?: string): MentionRef[] => {
    const entry = people[name]
    if (entry === undefined) return shown ? [{ name: shown }] : [{ name }]
    if (Array.isArray(entry)) return entry.flatMap((member) => personRefs(member))
    const label = (entry.name as string | undefined) ?? shown ?? name
    const id = idOf(entry)
    return [id ? { ...id, name: label } : { name: label }]
  }

  const resolveOne = (m: string | MentionRef): Array<string | MentionRef> => {
    if (typeof m === 'string') return [m]
    if (m.adapter !== undefined && m.adapter !== adapter) return []
    if (m.person !== undefined) return personRefs(m.person, m.name)
    for (const key of IDENTITIES) {
      const value = m[key]
      if (value === undefined) continue
      const person = byIdentity.get(`${key}:${lower(value)}`)
      if (person) return personRefs(person, m.name)
      // Someone the people map does not know: an e-mail address still reaches an e-mail adapter, nothing else does.
      if (key === 'email' && adapterType === 'email') return [{ id: value, name: m.name ?? value }]
      return m.name ? [{ name: m.name }] : []
    }
    if (m.id !== undefined || m.mobile !== undefined) return [{ ...(m.id !== undefined ? { id: m.id } : {}), ...(m.mobile !== undefined ? { mobile: m.mobile } : {}), ...(m.name ? { name: m.name } : {}) }]
    return m.name ? [{ name: m.name }] : []
  }

  return (message) => {
    if (!message.mentions?.length) return message
    const seen = new Set<string>()
    const mentions: Array<string | MentionRef> = []
    for (const m of message.mentions.flatMap(resolveOne)) {
      const key = typeof m === 'string' ? `id:${m}` : m.id !== undefined ? `id:${m.id}` : m.mobile !== undefined ? `m:${m.mobile}` : `n:${m.name}`
      if (seen.has(key)) continue
      seen.add(key)
      mentions.push(m)
    }
    if (mentions.length) return { ...message, mentions }
    // Nobody to mention here: the message is as if it had named no one.
    const { mentions: _none, ...rest } = message
    return rest
  }
}

/** The instance with every message's mentions resolved for it before it renders or sends. */
export function withMentions(instance: AdapterInstance, people: People, name: string, type: string): AdapterInstance {
  const resolve = mentionResolver(people, name, type)
  const render = instance.render?.bind(instance)
  const send = instance.send.bind(instance)
  return {
    ...instance,
    ...(render ? { render: (channel: string, message: Message) => render(channel, resolve(message)) } : {}),
    send: (channel, message, context) => send(channel, resolve(message), context),
  }
}
