/**
 * Federation trust: who may talk to this connector. A caller proves control of its DID with
 * a short-lived self-issued token bound to one request (DCP-shaped), and proves membership
 * with a credential from a national registrar this connector itself chose to trust; no
 * partner is bound by another partner's trust list (design.md "Trust model"). Here: the
 * registrar (accredit, revoke, its routes), the trust list with pinned registrar keys, the
 * holder's credential service, the verifier's membership check with its cache, the one-call
 * `authenticateCaller` for the DSP layer, and the client that signs every outbound call.
 */
export {
  issueCallerToken,
  verifyCallerToken,
  bodyDigest,
  statedBodyDigest,
  normaliseUrl,
  MAX_TOKEN_LIFETIME_S,
  type BoundRequest,
  type StreamedBody,
  type CallerTokenClaims,
  type TokenSigner,
  type TokenVerificationDeps,
  type VerifiedCaller,
} from './caller-token.js';
export { findKey, type DidDocumentLike, type Relationship, type VerificationMethodLike } from './did-keys.js';
export type { ReplayCache } from './replay-cache.js';
export { createSqlReplayCache, replayCacheMigrations } from './sql/replay-cache.js';
export {
  createCallerTokenVerifier,
  invocationKeyResolver,
  addressedUrl,
  bearerTokenOf,
  type CallerTokenVerifier,
  type CallerTokenVerifierOptions,
} from './token-verifier.js';
export {
  MEMBERSHIP_CREDENTIAL_TYPE,
  MEMBERSHIP_SCOPE,
  DEFAULT_MEMBERSHIP_VALIDITY_MS,
  memberRoles,
  membershipClaimsSchema,
  buildMembershipCredential,
  readMembership,
  type MemberRole,
  type MembershipClaims,
  type AccreditationInput,
  type VerifiedClaims,
} from './membership.js';
export { createTrustList, pinnedDidResolver, type TrustList, type TrustListOptions, type TrustedRegistrar, type IssuedCredentialLike } from './trust-list.js';
export { createRegistrar, type Registrar, type RegistrarOptions } from './registrar/registrar.js';
export type { AccreditationRecord, RegistrarRepository } from './registrar/ports.js';
export { registrarRoutes, registrarMountPath, registrarPaths, liveMembers, type RegistrarMember } from './http/registrar-routes.js';
export type { HeldCredentialStore } from './held-credentials.js';
export {
  DCP_CONTEXT,
  presentationQuery,
  presentationQuerySchema,
  presentationResponseSchema,
  type PresentationQueryMessage,
  type PresentationResponseMessage,
} from './presentation-query.js';
export { createCredentialService, type CredentialServiceOptions, type AnswerPresentationQuery, type ReceivedRequest } from './credential-service.js';
export { createChallengeBook, type ChallengeBook, type ChallengeBookOptions } from './challenge-book.js';
export { checkMembershipPresentation, type MembershipCheckOptions } from './membership-check.js';
export { createMembershipVerifier, DEFAULT_MEMBERSHIP_CACHE_MS, type MembershipVerifier, type MembershipVerifierOptions } from './membership-verifier.js';
export { createCallerAuthenticator, type AuthenticateCaller, type CallerAuthenticatorOptions, type CallerRequest } from './caller-authenticator.js';
export {
  createConnectorClient,
  fetchTransport,
  type AnswerHeaders,
  type ConnectorClient,
  type ConnectorClientOptions,
  type ConnectorResponse,
  type HttpFetch,
  type HttpTransport,
  type TransportAnswer,
  type TransportRequest,
} from './connector-client.js';
export { createJsonFileRegistrarRepository } from './node-fs/registrar-file-repository.js';
export { createJsonFileHeldCredentialStore } from './node-fs/held-credentials-file.js';
export { openRegistrarDataDir, REGISTRAR_PASSPHRASE_VARIABLE, type OpenedRegistrar, type RegistrarDataDirOptions } from './node-fs/registrar-data-dir.js';
export { registrarTrustEntry, type RegistrarTrustEntry } from './registrar/trust-entry.js';
