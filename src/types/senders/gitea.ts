// Payload types of Gitea and Forgejo webhooks (the fields commonly used), keyed by the X-Gitea-Event header.

export interface GiteaUser {
  id: number
  login: string
  full_name?: string
  email?: string
  avatar_url?: string
  username?: string
}

export interface GiteaRepository {
  id: number
  name: string
  full_name: string
  html_url: string
  private: boolean
  default_branch: string
  owner: GiteaUser
}

export interface GiteaCommit {
  id: string
  message: string
  url: string
  author: { name: string; email: string; username?: string }
  committer?: { name: string; email: string; username?: string }
  timestamp: string
}

export interface GiteaPushEvent {
  ref: string
  before: string
  after: string
  compare_url: string
  commits: GiteaCommit[]
  total_commits?: number
  head_commit?: GiteaCommit | null
  repository: GiteaRepository
  pusher: GiteaUser
  sender: GiteaUser
}

export interface GiteaIssue {
  id: number
  number: number
  title: string
  body: string
  html_url: string
  state: 'open' | 'closed'
  user: GiteaUser
}

export interface GiteaIssuesEvent {
  action: 'opened' | 'closed' | 'reopened' | 'edited' | 'assigned' | 'unassigned' | 'label_updated' | 'label_cleared' | 'milestoned' | 'demilestoned'
  number: number
  issue: GiteaIssue
  repository: GiteaRepository
  sender: GiteaUser
}

export interface GiteaPullRequestEvent {
  action: 'opened' | 'closed' | 'reopened' | 'edited' | 'assigned' | 'unassigned' | 'synchronized' | 'label_updated' | 'label_cleared' | 'reviewed'
  number: number
  pull_request: GiteaIssue & { merged: boolean; head: { ref: string; sha: string }; base: { ref: string; sha: string } }
  repository: GiteaRepository
  sender: GiteaUser
}

export interface GiteaReleaseEvent {
  action: 'published' | 'updated' | 'deleted'
  release: { id: number; tag_name: string; name: string; body: string; html_url: string; draft: boolean; prerelease: boolean; author: GiteaUser }
  repository: GiteaRepository
  sender: GiteaUser
}

/** X-Gitea-Event (or X-Forgejo-Event) header → payload. */
export interface GiteaEventMap {
  push: GiteaPushEvent
  issues: GiteaIssuesEvent
  pull_request: GiteaPullRequestEvent
  release: GiteaReleaseEvent
}

export type GiteaEventName = keyof GiteaEventMap
