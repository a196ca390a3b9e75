// Every word the built-in plugins put in a chat, in zh-CN and en: one place, so wording stays the same everywhere.
import type { Locale } from './locale.js'

const zh = {
  unknown: '未知',
  colon: '：',
  more: '…以及其他 {n} 条',
  moreCommits: '…以及其他 {n} 个提交',
  // counted nouns: {n} is the number
  'count.commit': '{n} 个提交',
  'count.alert': '{n} 条告警',
  'count.star': '{n} 星',
  'count.page': '{n} 页',
  // things
  'noun.issue': 'Issue',
  'noun.pr': 'PR',
  'noun.mr': 'MR',
  'noun.discussion': '讨论',
  'noun.release': '版本',
  'noun.commit': '提交',
  'noun.repository': '此仓库',
  'noun.member': '成员',
  'noun.wikiPage': 'Wiki 页面',
  'noun.snippet': '代码片段',
  'noun.workflow': '工作流',
  'noun.job': '任务',
  'noun.checkSuite': '检查套件',
  'noun.checkRun': '检查',
  'noun.deployment': '部署到',
  'noun.pipeline': '流水线',
  // headlines
  subject: '{actor} {verb} {thing}',
  push: '{actor} 推送了 {count} 到 {branch}',
  forcePush: '{actor} 强制推送了 {count} 到 {branch}',
  branchCreated: '{actor} 创建了分支 {ref}',
  branchDeleted: '{actor} 删除了分支 {ref}',
  tagCreated: '{actor} 创建了标签 {ref}',
  tagDeleted: '{actor} 删除了标签 {ref}',
  commentCreated: '{actor} 评论了 {thing}',
  commentEdited: '{actor} 编辑了 {thing} 的评论',
  commentDeleted: '{actor} 删除了 {thing} 的评论',
  reviewApproved: '{actor} 批准了 {thing}',
  reviewChanges: '{actor} 请求修改 {thing}',
  reviewCommented: '{actor} 评审了 {thing}',
  reviewDismissed: '{actor} 驳回了 {thing} 的评审',
  reviewEdited: '{actor} 编辑了 {thing} 的评审',
  state: '{thing}{colon}{state}',
  fork: '{actor} 复刻了此仓库 → {fork}',
  starAdded: '{actor} 收藏了此仓库（共 {count}）',
  starRemoved: '{actor} 取消了收藏（共 {count}）',
  watch: '{actor} 关注了此仓库',
  wiki: '{actor} 更新了 Wiki（{count}）',
  ping: 'Webhook 已连接（{actor}）',
  generic: '{actor} 触发了事件 {event}',
  // alerts
  alertFiring: '告警触发：{count}',
  alertResolved: '告警已恢复：{count}',
  'alert.firingSection': '触发中（{n}）：',
  'alert.resolvedSection': '已恢复（{n}）：',
  'alert.since': '开始于 {time}',
  'alert.ended': '恢复于 {time}',
  'alert.truncated': '…另有 {n} 条告警未随通知发送',
  // monitor
  monitorTitle: '监控告警 | {level}',
  'monitor.noDetails': '无详细信息',
  // durations
  'time.hm': '{h} 小时 {m} 分',
  'time.ms': '{m} 分 {s} 秒',
  'time.s': '{s} 秒',
  // field names
  'field.branch': '分支',
  'field.branches': '分支',
  'field.labels': '标签',
  'field.reviewers': '评审人',
  'field.assignee': '指派给',
  'field.changes': '变更',
  'field.commit': '提交',
  'field.duration': '耗时',
  'field.actor': '触发者',
  'field.severity': '级别',
  'field.stage': '阶段',
  'field.tag': '版本号',
  'field.name': '名称',
  'field.file': '文件',
  'field.time': '时间',
  'field.failedJobs': '失败的任务',
  'field.failedStep': '失败的步骤',
  'field.alerts': '告警',
  'field.kind': '类型',
  changes: '{lines} · {files}',
  'count.file': '{n} 个文件',
  prerelease: '预发布版本',
  draft: '草稿',
  forceWarning: '注意：强制推送改写了分支历史',
  'noun.status': '提交状态',
  'alert.counts': '触发 {firing} · 已恢复 {resolved}',
  'alert.moreOf': '…以及其他 {n} 条（共 {total} 条）',
  'alert.view': '查看：{url}',
  'alert.runbook': '处理手册：{url}',
  'alert.stillFiring': '仍在告警（×{n}，自 {time} 起）',
  'alert.flapping': '告警抖动：{min} 分钟内 {n} 次变化',
  // upload
  fileReceived: '收到文件 {name}（{size}）',
} as const

export type WordKey = keyof typeof zh

const en: Record<WordKey, string> = {
  unknown: 'unknown',
  colon: ': ',
  more: '…and {n} more',
  moreCommits: '…and {n} more commits',
  'count.commit': '{n} commits',
  'count.alert': '{n} alerts',
  'count.star': '{n} stars',
  'count.page': '{n} pages',
  'noun.issue': 'issue',
  'noun.pr': 'pull request',
  'noun.mr': 'merge request',
  'noun.discussion': 'discussion',
  'noun.release': 'release',
  'noun.commit': 'commit',
  'noun.repository': 'the repository',
  'noun.member': 'member',
  'noun.wikiPage': 'wiki page',
  'noun.snippet': 'snippet',
  'noun.workflow': 'Workflow',
  'noun.job': 'Job',
  'noun.checkSuite': 'Check suite',
  'noun.checkRun': 'Check',
  'noun.deployment': 'Deployment to',
  'noun.pipeline': 'Pipeline',
  subject: '{actor} {verb} {thing}',
  push: '{actor} pushed {count} to {branch}',
  forcePush: '{actor} force-pushed {count} to {branch}',
  branchCreated: '{actor} created branch {ref}',
  branchDeleted: '{actor} deleted branch {ref}',
  tagCreated: '{actor} created tag {ref}',
  tagDeleted: '{actor} deleted tag {ref}',
  commentCreated: '{actor} commented on {thing}',
  commentEdited: '{actor} edited a comment on {thing}',
  commentDeleted: '{actor} deleted a comment on {thing}',
  reviewApproved: '{actor} approved {thing}',
  reviewChanges: '{actor} requested changes on {thing}',
  reviewCommented: '{actor} reviewed {thing}',
  reviewDismissed: '{actor} dismissed a review on {thing}',
  reviewEdited: '{actor} edited a review on {thing}',
  state: '{thing}{colon}{state}',
  fork: '{actor} forked the repository to {fork}',
  starAdded: '{actor} starred the repository ({count})',
  starRemoved: '{actor} unstarred the repository ({count})',
  watch: '{actor} started watching the repository',
  wiki: '{actor} updated the wiki ({count})',
  ping: 'Webhook connected ({actor})',
  generic: '{actor} triggered {event}',
  alertFiring: 'Firing: {count}',
  alertResolved: 'Resolved: {count}',
  'alert.firingSection': 'Firing ({n}):',
  'alert.resolvedSection': 'Resolved ({n}):',
  'alert.since': 'since {time}',
  'alert.ended': 'resolved at {time}',
  'alert.truncated': '…{n} more alerts were not included in the notification',
  monitorTitle: 'Monitoring alert | {level}',
  'monitor.noDetails': 'No details',
  fileReceived: 'File received: {name} ({size})',
  'time.hm': '{h} h {m} min',
  'time.ms': '{m} min {s} s',
  'time.s': '{s} s',
  'field.branch': 'Branch',
  'field.branches': 'Branches',
  'field.labels': 'Labels',
  'field.reviewers': 'Reviewers',
  'field.assignee': 'Assignee',
  'field.changes': 'Changes',
  'field.commit': 'Commit',
  'field.duration': 'Duration',
  'field.actor': 'By',
  'field.severity': 'Severity',
  'field.stage': 'Stage',
  'field.tag': 'Tag',
  'field.name': 'Name',
  'field.file': 'File',
  'field.time': 'Time',
  'field.failedJobs': 'Failed jobs',
  'field.failedStep': 'Failed step',
  'field.alerts': 'Alerts',
  'field.kind': 'Kind',
  changes: '{lines} · {files}',
  'count.file': '{n} files',
  prerelease: 'pre-release',
  draft: 'draft',
  forceWarning: 'Warning: a force push rewrote the branch history',
  'noun.status': 'Commit status',
  'alert.counts': '{firing} firing · {resolved} resolved',
  'alert.moreOf': '…and {n} more ({total} in all)',
  'alert.view': 'View: {url}',
  'alert.runbook': 'Runbook: {url}',
  'alert.stillFiring': 'still firing (×{n}, since {time})',
  'alert.flapping': 'flapping: {n} changes in {min} min',
}

/** English singular forms where "1 commits" would read badly. */
export const EN_SINGULAR: Partial<Record<WordKey, string>> = {
  'count.commit': '{n} commit',
  'count.alert': '{n} alert',
  'count.star': '{n} star',
  'count.page': '{n} page',
  'count.file': '{n} file',
}

/** Past-tense verbs for the actions senders report (GitHub, GitLab, Gitea); an unknown action is shown as it is. */
const verbsZh: Record<string, string> = {
  opened: '打开了', open: '打开了', reopened: '重新打开了', reopen: '重新打开了', closed: '关闭了', close: '关闭了',
  edited: '编辑了', updated: '更新了', update: '更新了', deleted: '删除了', created: '创建了', create: '创建了',
  labeled: '标记了', unlabeled: '移除了标签', assigned: '指派了', unassigned: '取消指派了', merged: '合并了', merge: '合并了',
  published: '发布了', released: '发布了', prereleased: '预发布了', unpublished: '撤回了', synchronize: '推送了新提交到',
  synchronized: '推送了新提交到', ready_for_review: '标记为可评审', review_requested: '请求评审', review_request_removed: '取消请求评审',
  converted_to_draft: '转为草稿', locked: '锁定了', unlocked: '解锁了', pinned: '置顶了', unpinned: '取消置顶了',
  transferred: '转移了', answered: '回答了', unanswered: '取消回答了', category_changed: '修改了分类',
  milestoned: '设置了里程碑', demilestoned: '移除了里程碑', added: '添加了', removed: '移除了', renamed: '重命名了',
  archived: '归档了', unarchived: '取消归档了', privatized: '设为私有', publicized: '设为公开', approved: '批准了',
  unapproved: '撤销批准了', approval: '批准了', unapproval: '撤销批准了', enqueued: '加入合并队列', dequeued: '移出合并队列',
  auto_merge_enabled: '开启自动合并', auto_merge_disabled: '关闭自动合并',
}

const verbsEn: Record<string, string> = {
  open: 'opened', reopen: 'reopened', close: 'closed', update: 'updated', create: 'created', merge: 'merged',
  synchronize: 'pushed new commits to', synchronized: 'pushed new commits to', ready_for_review: 'marked ready for review', review_requested: 'requested review of',
  review_request_removed: 'removed the review request of', converted_to_draft: 'converted to draft', unlabeled: 'removed a label from',
  category_changed: 'changed the category of', milestoned: 'set a milestone on', demilestoned: 'removed the milestone of',
  privatized: 'made private', publicized: 'made public', approval: 'approved', unapproval: 'unapproved',
  enqueued: 'added to the merge queue', dequeued: 'removed from the merge queue', auto_merge_enabled: 'enabled auto-merge for',
  auto_merge_disabled: 'disabled auto-merge for',
}

/** States of CI runs, checks, deployments and pipelines. */
const statesZh: Record<string, string> = {
  queued: '排队中', waiting: '等待中', requested: '已请求', pending: '等待中', in_progress: '运行中', running: '运行中',
  created: '已创建', preparing: '准备中', scheduled: '已计划', manual: '待手动触发', success: '成功', completed: '已完成',
  failure: '失败', failed: '失败', error: '出错', cancelled: '已取消', canceled: '已取消', skipped: '已跳过',
  timed_out: '超时', action_required: '需要操作', neutral: '中性', stale: '已过期', startup_failure: '启动失败',
  inactive: '已停用', fixed: '已修复', script_failure: '脚本执行失败', stuck_or_timeout_failure: '卡住或超时',
  runner_system_failure: 'Runner 系统故障', job_execution_timeout: '执行超时', unknown_failure: '原因未知', api_failure: 'API 故障', rerequested: '已重新请求', updated: '已更新', deleted: '已删除', create: '已创建', update: '已更新', delete: '已删除', requested_action: '请求操作', blocked: '已阻塞',
}

const statesEn: Record<string, string> = {
  in_progress: 'in progress', timed_out: 'timed out', action_required: 'action required', startup_failure: 'startup failure',
  canceled: 'cancelled', manual: 'waiting for a manual start', requested_action: 'action requested', create: 'created', update: 'updated', delete: 'deleted',
}

/** Alert and monitor severities; an unknown one is shown as sent. */
const severitiesZh: Record<string, string> = {
  critical: '严重', fatal: '致命', emergency: '紧急', page: '紧急', error: '错误', high: '高', warning: '警告', warn: '警告',
  medium: '中', info: '信息', low: '低', none: '无',
}

export function severityWord(locale: Locale, level: string): string {
  const key = level.toLowerCase()
  if (locale === 'en') return key
  return severitiesZh[key] ?? level
}

const DICTIONARIES: Record<Locale, Record<WordKey, string>> = { 'zh-CN': zh, en }

export function dictionary(locale: Locale): Record<WordKey, string> {
  return DICTIONARIES[locale] ?? zh
}

export function verbWord(locale: Locale, action: string): string {
  if (locale === 'en') return verbsEn[action] ?? action.replace(/_/g, ' ')
  return verbsZh[action] ?? action.replace(/_/g, ' ')
}

export function stateWord(locale: Locale, state: string): string {
  if (locale === 'en') return statesEn[state] ?? state.replace(/_/g, ' ')
  return statesZh[state] ?? state.replace(/_/g, ' ')
}
