// Our sender payload types against real payload samples: every field a type requires is in the sample, with its type.
import type { AlertmanagerPayload, GiteaPushEvent, GitLabIssueEvent, GitLabPipelineEvent, GitLabPushEvent, GrafanaPayload, MonitorAlert } from 'hookcat'
import alertmanager from '../../src/types/senders/fixtures/alertmanager.json' with { type: 'json' }
import gitea from '../../src/types/senders/fixtures/gitea-push.json' with { type: 'json' }
import gitlabIssue from '../../src/types/senders/fixtures/gitlab-issue.json' with { type: 'json' }
import gitlabPipeline from '../../src/types/senders/fixtures/gitlab-pipeline.json' with { type: 'json' }
import gitlabPush from '../../src/types/senders/fixtures/gitlab-push.json' with { type: 'json' }
import grafana from '../../src/types/senders/fixtures/grafana.json' with { type: 'json' }
import monitor from '../../src/types/senders/fixtures/monitor.json' with { type: 'json' }

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
]

// The check bites: a sample that lacks a required field is refused.
// @ts-expect-error "alerts" is required
export const incomplete = { ...alertmanager, alerts: undefined } satisfies Widen<AlertmanagerPayload>
