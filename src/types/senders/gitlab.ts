// Payload types of GitLab webhooks (the fields hookcat and plugin authors use), keyed by the X-Gitlab-Event header.

export type GitLabEventHeader =
  | 'Push Hook'
  | 'Tag Push Hook'
  | 'Issue Hook'
  | 'Confidential Issue Hook'
  | 'Note Hook'
  | 'Confidential Note Hook'
  | 'Merge Request Hook'
  | 'Wiki Page Hook'
  | 'Pipeline Hook'
  | 'Job Hook'
  | 'Deployment Hook'
  | 'Release Hook'
  | 'Member Hook'
  | 'Emoji Hook'

export interface GitLabUser {
  id: number
  name: string
  username: string
  avatar_url?: string | null
  email?: string | null
}

export interface GitLabProject {
  id: number
  name: string
  description?: string | null
  web_url: string
  namespace: string
  path_with_namespace: string
  default_branch: string
  homepage?: string
  visibility_level?: number
}

export interface GitLabCommit {
  id: string
  message: string
  title: string
  timestamp: string
  url: string
  author: { name: string; email: string }
  added?: string[]
  modified?: string[]
  removed?: string[]
}

export interface GitLabPushEvent {
  object_kind: 'push' | 'tag_push'
  event_name: 'push' | 'tag_push'
  before: string
  after: string
  ref: string
  checkout_sha: string | null
  user_id: number
  user_name: string
  user_username: string
  user_email?: string | null
  user_avatar?: string | null
  project_id: number
  project: GitLabProject
  commits: GitLabCommit[]
  total_commits_count: number
  repository: { name: string; url: string; description?: string | null; homepage: string }
}

/** Fields issues and merge requests share in object_attributes. */
interface GitLabWorkItem {
  id: number
  iid: number
  title: string
  description: string | null
  url: string
}

/** The user and project every work-item event carries. */
interface GitLabProjectEvent {
  user: GitLabUser
  project: GitLabProject
}

export interface GitLabIssueEvent extends GitLabProjectEvent {
  object_kind: 'issue'
  event_type: 'issue' | 'confidential_issue'
  object_attributes: GitLabWorkItem & {
    state: 'opened' | 'closed' | 'locked'
    action?: 'open' | 'close' | 'reopen' | 'update'
    created_at: string
    updated_at: string
  }
  labels?: Array<{ id: number; title: string; color: string }>
  /** GitLab's own example sends assignees without an id. */
  assignees?: Array<Pick<GitLabUser, 'name' | 'username'> & Partial<GitLabUser>>
}

export interface GitLabMergeRequestEvent extends GitLabProjectEvent {
  object_kind: 'merge_request'
  event_type: 'merge_request'
  object_attributes: GitLabWorkItem & {
    state: 'opened' | 'closed' | 'locked' | 'merged'
    action?: 'open' | 'close' | 'reopen' | 'update' | 'approved' | 'unapproved' | 'approval' | 'unapproval' | 'merge'
    source_branch: string
    target_branch: string
    merge_status?: string
  }
}

export interface GitLabNoteEvent {
  object_kind: 'note'
  event_type: 'note' | 'confidential_note'
  user: GitLabUser
  project: GitLabProject
  object_attributes: {
    id: number
    note: string
    noteable_type: 'Commit' | 'MergeRequest' | 'Issue' | 'Snippet'
    url: string
  }
}

export interface GitLabPipelineEvent {
  object_kind: 'pipeline'
  user: GitLabUser
  project: GitLabProject
  object_attributes: {
    id: number
    iid?: number
    ref: string
    tag: boolean
    sha: string
    status: 'created' | 'waiting_for_resource' | 'preparing' | 'pending' | 'running' | 'success' | 'failed' | 'canceled' | 'skipped' | 'manual' | 'scheduled'
    detailed_status?: string
    duration: number | null
    created_at: string
    finished_at: string | null
    url?: string
  }
  builds?: Array<{ id: number; stage: string; name: string; status: string }>
}

export interface GitLabReleaseEvent {
  object_kind: 'release'
  action: 'create' | 'update' | 'delete'
  name: string
  tag: string
  description: string
  url: string
  released_at: string
  project: GitLabProject
}

/** X-Gitlab-Event header → payload. */
export interface GitLabEventMap {
  'Push Hook': GitLabPushEvent
  'Tag Push Hook': GitLabPushEvent
  'Issue Hook': GitLabIssueEvent
  'Confidential Issue Hook': GitLabIssueEvent
  'Note Hook': GitLabNoteEvent
  'Confidential Note Hook': GitLabNoteEvent
  'Merge Request Hook': GitLabMergeRequestEvent
  'Pipeline Hook': GitLabPipelineEvent
  'Release Hook': GitLabReleaseEvent
}
