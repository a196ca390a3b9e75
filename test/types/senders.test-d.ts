// Our sender payload types against real payload samples (ours and the built-ins'): every required field is in each sample, with its type.
import type {
  AlertmanagerPayload,
  GiteaIssuesEvent,
  GiteaPullRequestEvent,
  GiteaPushEvent,
  GiteaReleaseEvent,
  GitLabIssueEvent,
  GitLabMergeRequestEvent,
  GitLabNoteEvent,
  GitLabPipelineEvent,
  GitLabPushEvent,
  GitLabReleaseEvent,
  GrafanaPayload,
  MonitorAlert,
} from 'hookcat'
import alertmanager from '../../src/types/senders/fixtures/alertmanager.json' with { type: 'json' }
import gitea from '../../src/types/senders/fixtures/gitea-push.json' with { type: 'json' }
import gitlabIssue from '../../src/types/senders/fixtures/gitlab-issue.json' with { type: 'json' }
import gitlabPipeline from '../../src/types/senders/fixtures/gitlab-pipeline.json' with { type: 'json' }
import gitlabPush from '../../src/types/senders/fixtures/gitlab-push.json' with { type: 'json' }
import grafana from '../../src/types/senders/fixtures/grafana.json' with { type: 'json' }
import monitor from '../../src/types/senders/fixtures/monitor.json' with { type: 'json' }
// The samples the built-in plugins' tests and `hookcat simulate` use (test/fixtures/senders).
import shared_alertmanager_firing from '../fixtures/senders/alertmanager/firing.json' with { type: 'json' }
import shared_alertmanager_resolved from '../fixtures/senders/alertmanager/resolved.json' with { type: 'json' }
import shared_alertmanager_mixed_truncated from '../fixtures/senders/alertmanager/mixed-truncated.json' with { type: 'json' }
import shared_grafana_firing from '../fixtures/senders/grafana/firing.json' with { type: 'json' }
import shared_grafana_resolved from '../fixtures/senders/grafana/resolved.json' with { type: 'json' }
import shared_gitea_push from '../fixtures/senders/gitea/push.json' with { type: 'json' }
import shared_gitea_issues from '../fixtures/senders/gitea/issues.json' with { type: 'json' }
import shared_gitea_pull_request from '../fixtures/senders/gitea/pull_request.json' with { type: 'json' }
import shared_gitea_release from '../fixtures/senders/gitea/release.json' with { type: 'json' }
import shared_gitlab_push from '../fixtures/senders/gitlab/push.json' with { type: 'json' }
import shared_gitlab_tag_push from '../fixtures/senders/gitlab/tag_push.json' with { type: 'json' }
import shared_gitlab_issue from '../fixtures/senders/gitlab/issue.json' with { type: 'json' }
import shared_gitlab_merge_request from '../fixtures/senders/gitlab/merge_request.json' with { type: 'json' }
import shared_gitlab_note from '../fixtures/senders/gitlab/note.json' with { type: 'json' }
import shared_gitlab_pipeline from '../fixtures/senders/gitlab/pipeline.json' with { type: 'json' }
import shared_gitlab_release from '../fixtures/senders/gitlab/release.json' with { type: 'json' }
import shared_monitor_alert from '../fixtures/senders/monitor/alert.json' with { type: 'json' }
import shared_monitor_info from '../fixtures/senders/monitor/info.json' with { type: 'json' }

/** JSON imports widen literals ("firing" becomes string); the check is on field names, nesting and primitive types. */
type Widen<T> = T extends string
  ? string
  : T extends number
    ? number
    : T extends boolean
      ? boolean
      : T extends null | undefined
        ? T
        : T extends Array<infer U>
          ? Array<Widen<U>>
          : T extends object
            ? { [K in keyof T]: Widen<T[K]> }
            : T

export const checks: unknown[] = [
  alertmanager satisfies Widen<AlertmanagerPayload>,
  grafana satisfies Widen<GrafanaPayload>,
  gitea satisfies Widen<GiteaPushEvent>,
  gitlabPush satisfies Widen<GitLabPushEvent>,
  gitlabIssue satisfies Widen<GitLabIssueEvent>,
  gitlabPipeline satisfies Widen<GitLabPipelineEvent>,
  monitor satisfies Widen<MonitorAlert>,
  shared_alertmanager_firing satisfies Widen<AlertmanagerPayload>,
  shared_alertmanager_resolved satisfies Widen<AlertmanagerPayload>,
  shared_alertmanager_mixed_truncated satisfies Widen<AlertmanagerPayload>,
  shared_grafana_firing satisfies Widen<GrafanaPayload>,
  shared_grafana_resolved satisfies Widen<GrafanaPayload>,
  shared_gitea_push satisfies Widen<GiteaPushEvent>,
  shared_gitea_issues satisfies Widen<GiteaIssuesEvent>,
  shared_gitea_pull_request satisfies Widen<GiteaPullRequestEvent>,
  shared_gitea_release satisfies Widen<GiteaReleaseEvent>,
  shared_gitlab_push satisfies Widen<GitLabPushEvent>,
  shared_gitlab_tag_push satisfies Widen<GitLabPushEvent>,
  shared_gitlab_issue satisfies Widen<GitLabIssueEvent>,
  shared_gitlab_merge_request satisfies Widen<GitLabMergeRequestEvent>,
  shared_gitlab_note satisfies Widen<GitLabNoteEvent>,
  shared_gitlab_pipeline satisfies Widen<GitLabPipelineEvent>,
  shared_gitlab_release satisfies Widen<GitLabReleaseEvent>,
  shared_monitor_alert satisfies Widen<MonitorAlert>,
  shared_monitor_info satisfies Widen<MonitorAlert>,
]

// The check bites: a sample that lacks a required field is refused.
// @ts-expect-error "alerts" is required
export const incomplete = { ...alertmanager, alerts: undefined } satisfies Widen<AlertmanagerPayload>
