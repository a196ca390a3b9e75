// The benchmark workload: a realistic GitHub `push` payload with 3 commits, signed as GitHub signs it.
import { createHash, createHmac } from 'node:crypto'

export const SECRET = 'bench-webhook-secret-0123456789abcdef'
/** Chat for events that no route claims. */
export const CHAT = 'qq-group_123456'
/**
 * The pushes come from REPOS repositories of one organisation, each routed to its own group chat, as an organisation
 * would set it up. One chat alone could not show throughput: the outbox sends a chat's messages one at a time and
 * records each before the next (order, and at most one message sent again after a crash), and real platforms allow a
 * chat about one message a second anyway.
 */
export const REPOS = 16
export const repoName = (k) => `service-${k}`
/** The repository's id: GitHub sends it as X-GitHub-Hook-Installation-Target-ID, hookcat's ordering key for the github route. */
export const repoId = (k) => 186853002 + k
export const chatFor = (k) => `qq-group_${100000 + k}`
export const ROUTES = Array.from({ length: REPOS }, (_, k) => ({ repository: `hookcat-bench/${repoName(k)}`, chats: [chatFor(k)] }))

const sha = (text) => createHash('sha1').update(text).digest('hex')

const owner = {
  name: 'hookcat-bench',
  email: null,
  login: 'hookcat-bench',
  id: 21031067,
  node_id: 'MDQ6VXNlcjIxMDMxMDY3',
  avatar_url: 'https://avatars.githubusercontent.com/u/21031067?v=4',
  gravatar_id: '',
  url: 'https://api.github.com/users/hookcat-bench',
  html_url: 'https://github.com/hookcat-bench',
  followers_url: 'https://api.github.com/users/hookcat-bench/followers',
  following_url: 'https://api.github.com/users/hookcat-bench/following{/other_user}',
  gists_url: 'https://api.github.com/users/hookcat-bench/gists{/gist_id}',
  starred_url: 'https://api.github.com/users/hookcat-bench/starred{/owner}{/repo}',
  subscriptions_url: 'https://api.github.com/users/hookcat-bench/subscriptions',
  organizations_url: 'https://api.github.com/users/hookcat-bench/orgs',
  repos_url: 'https://api.github.com/users/hookcat-bench/repos',
  events_url: 'https://api.github.com/users/hookcat-bench/events{/privacy}',
  received_events_url: 'https://api.github.com/users/hookcat-bench/received_events',
  type: 'User',
  site_admin: false,
}

function commit(repo, id, message, n, files) {
  const author = { name: 'Mona Lisa Octocat', email: 'mona@github.example', username: 'octocat' }
  return {
    id,
    tree_id: sha(`tree${id}`),
    distinct: true,
    message,
    timestamp: `2026-11-0${1 + (n % 8)}T12:0${n % 10}:3${n % 10}+01:00`,
    url: `https://github.com/hookcat-bench/${repo}/commit/${id}`,
    author,
    committer: author,
    added: files.added,
    removed: [],
    modified: files.modified,
  }
}

/** The push body for variant n (compact JSON, as GitHub sends it); the head commit's message carries `[bench:n]`. */
export function pushBody(n) {
  const repo = repoName(n % REPOS)
  const repoUrl = `https://api.github.com/repos/hookcat-bench/${repo}`
  const before = sha(`before${n}`)
  const ids = [sha(`c1-${n}`), sha(`c2-${n}`), sha(`c3-${n}`)]
  const commits = [
    commit(repo, ids[0], 'Parse X-Hub-Signature-256 over the raw body\n\nThe old code hashed re-encoded JSON.', n, { added: ['src/verify/github.ts'], modified: ['src/verify/index.ts'] }),
    commit(repo, ids[1], 'Store deliveries before the 202', n + 1, { added: [], modified: ['src/ingress.ts', 'src/storage/sqlite.ts'] }),
    commit(repo, ids[2], `[bench:${n}] Answer repeated delivery ids from the log`, n + 2, { added: ['test/dedup.test.ts'], modified: ['src/ingress.ts'] }),
  ]
  const payload = {
    ref: 'refs/heads/main',
    before,
    after: ids[2],
    repository: {
      id: repoId(n % REPOS),
      node_id: 'MDEwOlJlcG9zaXRvcnkxODY4NTMwMDI=',
      name: repo,
      full_name: `hookcat-bench/${repo}`,
      private: false,
      owner,
      html_url: `https://github.com/hookcat-bench/${repo}`,
      description: 'Relays webhooks from forges and monitors into group chats, with durable delivery',
      fork: false,
      url: `https://github.com/hookcat-bench/${repo}`,
      forks_url: `${repoUrl}/forks`,
      keys_url: `${repoUrl}/keys{/key_id}`,
      hooks_url: `${repoUrl}/hooks`,
      issue_events_url: `${repoUrl}/issues/events{/number}`,
      events_url: `${repoUrl}/events`,
      branches_url: `${repoUrl}/branches{/branch}`,
      tags_url: `${repoUrl}/tags`,
      git_refs_url: `${repoUrl}/git/refs{/sha}`,
      statuses_url: `${repoUrl}/statuses/{sha}`,
      languages_url: `${repoUrl}/languages`,
      commits_url: `${repoUrl}/commits{/sha}`,
      git_commits_url: `${repoUrl}/git/commits{/sha}`,
      comments_url: `${repoUrl}/comments{/number}`,
      contents_url: `${repoUrl}/contents/{+path}`,
      compare_url: `${repoUrl}/compare/{base}...{head}`,
      merges_url: `${repoUrl}/merges`,
      pulls_url: `${repoUrl}/pulls{/number}`,
      releases_url: `${repoUrl}/releases{/id}`,
      created_at: 1557933565,
      updated_at: '2026-11-01T10:02:41Z',
      pushed_at: 1793530000 + n,
      git_url: `git://github.com/hookcat-bench/${repo}.git`,
      ssh_url: `git@github.com:hookcat-bench/${repo}.git`,
      clone_url: `https://github.com/hookcat-bench/${repo}.git`,
      homepage: null,
      size: 412,
      stargazers_count: 42,
      watchers_count: 42,
      language: 'TypeScript',
      has_issues: true,
      has_projects: true,
      has_downloads: true,
      has_wiki: true,
      has_pages: false,
      has_discussions: false,
      mirror_url: null,
      allow_forking: true,
      is_template: false,
      web_commit_signoff_required: false,
      topics: ['webhooks', 'chatops', 'onebot'],
      forks: 3,
      open_issues: 5,
      watchers: 42,
      forks_count: 3,
      archived: false,
      disabled: false,
      open_issues_count: 5,
      license: { key: 'mit', name: 'MIT License', spdx_id: 'MIT', url: 'https://api.github.com/licenses/mit', node_id: 'MDc6TGljZW5zZTEz' },
      visibility: 'public',
      default_branch: 'main',
      stargazers: 42,
      master_branch: 'main',
    },
    pusher: { name: 'octocat', email: 'mona@github.example' },
    sender: { ...owner, login: 'octocat', id: 583231, url: 'https://api.github.com/users/octocat', html_url: 'https://github.com/octocat', name: undefined, email: undefined },
    created: false,
    deleted: false,
    forced: false,
    base_ref: null,
    compare: `https://github.com/hookcat-bench/${repo}/compare/${before.slice(0, 12)}...${ids[2].slice(0, 12)}`,
    commits,
    head_commit: commits[2],
  }
  return JSON.stringify(payload)
}

/** GitHub's X-Hub-Signature-256 for a body. */
export function sign(body, secret = SECRET) {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`
}

/** A UUID-shaped delivery id, unique per (run, n), as in X-GitHub-Delivery. */
export function deliveryId(run, n) {
  const hex = n.toString(16).padStart(12, '0')
  return `${run.toString(16).padStart(8, '0').slice(-8)}-0000-4000-8000-${hex.slice(-12)}`
}

/** The token that the head commit carries and that a formatted chat message shows. */
export const TOKEN = /\[bench:(\d+)\]/
