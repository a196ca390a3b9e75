// The verify namespace of the SDK: one factory per sender scheme.
export { github, gitea, hmac, type HmacOptions, type HmacAlgorithm, type HmacEncoding } from './hmac.js'
export { admin, bearer, basic, gitlabToken, urlToken, when } from './token.js'
export type { Verifier, VerifyInput, VerifyResult, SecretSource } from './types.js'
