// host.send.<sender>(…): posts a webhook to a test host signed exactly as that sender signs it.
import type { WebhookEventName } from '@octokit/webhooks-types'
import {
  signBearer,
  signGithub,
  signGitlab,
  signHmac,
  signStandardWebhooks,
  type GithubSignOptions,
  type GitlabSignOptions,
  type HmacSignOptions,
  type SignedRequest,
  type StandardWebhooksSignOptions,
} from './signers.js'
import type { GitLabEventHeader } from '../types/senders/gitlab.js'

export interface TestResponse {
  status: number
  headers: Headers
  text: string
  json<T = any>(): T
}

/** Extra request settings every helper takes: headers that win over the signed ones, query, method. */
export interface SendExtras {
  headers?: Record<string, string>
  query?: Record<string, string>
  /** Default POST. */
  method?: string
}

export interface SendHelpers {
  /** Signs like GitHub (X-Hub-Signature-256) with X-GitHub-Event set to `event`. */
  github(plugin: string, path: string, event: WebhookEventName, payload: unknown, options: GithubSignOptions & SendExtras): Promise<TestResponse>
  /** Sends like GitLab: X-Gitlab-Event (e.g. "Push Hook") with X-Gitlab-Token and/or the signing token's signature. */
  gitlab(plugin: string, path: string, event: GitLabEventHeader, payload: unknown, options: GitlabSignOptions & SendExtras): Promise<TestResponse>
  /** Signs per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature) with a whsec_ secret. */
  standardWebhooks(plugin: string, path: string, payload: unknown, options: StandardWebhooksSignOptions & SendExtras): Promise<TestResponse>
  /** A generic HMAC signature in a header of your choice, as verify.hmac() checks it. */
  hmac(plugin: string, path: string, payload: unknown, options: HmacSignOptions & SendExtras): Promise<TestResponse>
  /** Authorization: Bearer <token>. */
  bearer(plugin: string, path: string, payload: unknown, options: { token: string } & SendExtras): Promise<TestResponse>
}

export async function wrapResponse(res: Response): Promise<TestResponse> {
  const text = await res.text()
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) }
}

/** The helpers for a host at `webhookUrl`, reading the host's clock for timestamps. */
export function sendHelpers(webhookUrl: (plugin: string, path: string) => string, now: () => number): SendHelpers {
  const post = async (plugin: string, path: string, signed: SignedRequest, extras: SendExtras): Promise<TestResponse> => {
    const query = extras.query ? `?${new URLSearchParams(extras.query)}` : ''
    const res = await fetch(`${webhookUrl(plugin, path)}${query}`, {
      method: extras.method ?? 'POST',
      headers: { ...signed.headers, ...(extras.headers ?? {}) },
      body: new Uint8Array(signed.body),
    })
    return wrapResponse(res)
  }
  return {
    github: (plugin, path, event, payload, options) => post(plugin, path, signGithub(event, payload, options), options),
    gitlab: (plugin, path, event, payload, options) => post(plugin, path, signGitlab(event, payload, { now: now(), ...options }), options),
    standardWebhooks: (plugin, path, payload, options) => post(plugin, path, signStandardWebhooks(payload, { now: now(), ...options }), options),
    hmac: (plugin, path, payload, options) => post(plugin, path, signHmac(payload, { now: now(), ...options }), options),
    bearer: (plugin, path, payload, options) => post(plugin, path, signBearer(payload, options.token), options),
  }
}
