/**
 * Federation trust: who may talk to this connector. A caller proves control of its DID with
 * a short-lived self-issued token bound to one request (DCP-shaped), and proves membership
 * with a credential from a national registrar this connector itself chose to trust; no
 * partner is bound by another partner's trust list (design.md "Trust model").
 */
export {
  issueCallerToken,
  verifyCallerToken,
  bodyDigest,
  normaliseUrl,
  MAX_TOKEN_LIFETIME_S,
  type BoundRequest,
  type CallerTokenClaims,
  type TokenSigner,
  type TokenVerificationDeps,
  type VerifiedCaller,
} from './caller-token.js';
export { findKey, type DidDocumentLike, type Relationship, type VerificationMethodLike } from './did-keys.js';
export type { ReplayCache } from './replay-cache.js';
export { createSqlReplayCache, replayCacheMigrations } from './sql/replay-cache.js';
