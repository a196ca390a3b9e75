// The verify namespace of the SDK: one factory per sender scheme.
export { github, gitea, hmac, type HmacOptions, type HmacAlgorithm, type HmacEncoding, type GithubOptions } from './hmac.js'
export { standardWebhooks, svix, type StandardWebhooksOptions } from './standard.js'
export { stripe, type StripeOptions } from './stripe.js'
export { grafana, type GrafanaOptions } from './grafana.js'
export { gitlab, gitlabSignature, type GitlabOptions } from './gitlab.js'
export { admin, bearer, basic, gitlabToken, urlToken, when } from './token.js'
export type { Verifier, VerifyInput, VerifyHead, VerifyResult, BodyCheck, SecretSource } from './types.js'
