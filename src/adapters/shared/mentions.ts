// A message's mentions in the form one platform takes: ids it accepts, plain names for the rest, nothing else.
import type { MentionRef, Message } from '../../host/messages.js'

/** The platform's id for a mention, or undefined when it has none there (the person is then shown by name). */
export type AcceptMention = (m: { id?: string; mobile?: string }) => string | undefined

/** A mention after forPlatform(): an id the platform takes (with the name shown), or a name alone. */
export type PlatformMention = { id: string; name?: string } | { id?: undefined; name: string }

/**
 * The message with its mentions narrowed to what the platform accepts. A bare string that the platform would not take
 * (an "all", a malformed id) is dropped, never passed on: only the route's `mentionAll` may reach everyone.
 */
export function forPlatform(message: Message, accept: AcceptMention): Message {
  if (!message.mentions?.length) return message
  const out: PlatformMention[] = []
  for (const m of message.mentions) {
    const ref: MentionRef = typeof m === 'string' ? { id: m } : m
    const id = ref.id !== undefined || ref.mobile !== undefined ? accept({ id: ref.id, mobile: ref.mobile }) : undefined
    if (id !== undefined) out.push(ref.name ? { id, name: ref.name } : { id })
    else if (ref.name) out.push({ name: ref.name })
  }
  return { ...message, mentions: out }
}

/** The ids of a message passed through forPlatform(). */
export function mentionIds(message: Message): string[] {
  return (message.mentions ?? []).flatMap((m) => (typeof m === 'string' ? [m] : m.id !== undefined ? [m.id] : []))
}

const ALL = /^@?(all|everyone|here|channel)$/i
/** An id pattern that can never name everyone. */
export const acceptId =
  (pattern: RegExp): AcceptMention =>
  (m) =>
    m.id !== undefined && pattern.test(m.id) && !ALL.test(m.id) ? m.id : undefined

/** The message with only the names left in its mentions: for platforms that send the ids in fields of their own. */
export function namesOnly(message: Message): Message {
  if (!message.mentions?.length) return message
  return { ...message, mentions: message.mentions.filter((m) => typeof m !== 'string' && m.id === undefined && m.name) }
}
