// OneBot's @all quota: get_group_at_all_remain says whether the bot may @all in a group now (QQ limits it per day).
import type { Transport } from './transport.js'

/** Said instead of @all when the quota is used up or cannot be read (both languages: the adapter has no locale). */
export const AT_ALL_NOTE = '（@全体成员 不可用：今日次数已用完或无权限 / @all unavailable: no quota or permission）'

/**
 * Whether @all may be used in the group now. Anything but a clear yes (an error, an implementation without the
 * action, no quota left) is a no: the message then goes without @all rather than failing or pinging by surprise.
 */
export async function atAllAllowed(transport: Pick<Transport, 'call'>, groupId: number, signal: AbortSignal): Promise<boolean> {
  try {
    const { body } = await transport.call('get_group_at_all_remain', { group_id: groupId }, signal)
    const d = (body as { data?: { can_at_all?: boolean; remain_at_all_count_for_group?: number; remain_at_all_count_for_uin?: number } }).data
    if (body.retcode !== 0 || !d || d.can_at_all !== true) return false
    return (d.remain_at_all_count_for_group ?? 1) > 0 && (d.remain_at_all_count_for_uin ?? 1) > 0
  } catch (error) {
    if (signal.aborted) throw error
    return false
  }
}
