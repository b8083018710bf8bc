/**
 * Identity: the connector's did:web identifier and DID document, did:web resolution (http only
 * on loopback, timeout, size cap, TTL cache), an offline JSON-LD document loader, VC Data Model
 * 2.0 credentials and presentations signed with Data Integrity `eddsa-rdfc-2022` by a kms-held
 * key, Bitstring Status List revocation (issuer and verifier sides, fail closed), and Gaia-X
 * style self-descriptions. Every refusal is a Failure with a SOV_IDENTITY_* code. HTTP routes
 * live in src/http; this module only produces and checks documents.
 */
import type { Resolvable } from 'did-resolver';
import { createOfflineDocumentLoader, type DocumentLoader, type StatusListSource } from './document-loader.js';
import { readVocabularyFiles } from './node-fs/vocabulary-files.js';
import { standardContexts } from './standard-contexts.js';

export { didFromUrl, didToUrl, isLoopbackHost, checkTransport } from './did-web.js';
export {
  buildDidDocument,
  findVerificationMethod,
  serviceEndpoint,
  didDocumentSchema,
  DID_CONTEXT_V1,
  MULTIKEY_CONTEXT_V1,
  type DidDocument,
  type DidDocumentInput,
  type VerificationMethod,
} from './did-document.js';
export { connectorDidDocument, type ConnectorDidOptions } from './connector-did.js';
export { createConnectorIdentity, revocationListUrl, type ConnectorIdentity, type ConnectorIdentityOptions } from './connector-identity.js';
export { createDidWebResolver, createDidResolver, resolveDidDocument, type DidWebResolverOptions } from './did-web-resolver.js';
export { fetchJsonBounded, type FetchLike } from './bounded-fetch.js';
export { createOfflineDocumentLoader, type DocumentLoader, type DocumentLoaderOptions, type RemoteDocument, type StatusListSource } from './document-loader.js';
export { standardContexts, VC_V2_CONTEXT } from './standard-contexts.js';
export { readVocabularyFiles, DEFAULT_VOCAB_DIR } from './node-fs/vocabulary-files.js';
export { createKmsSigner, type ProofSigner, type KmsSignerOptions } from './proof-suites.js';
export {
  issueCredential,
  verifyCredential,
  type VerifiableCredential,
  type IssueCredentialOptions,
  type VerifierOptions,
  type CredentialVerification,
  type IssuerTrustCheck,
  type StatusEntryAllocator,
} from './credentials.js';
export {
  createPresentation,
  signPresentation,
  verifyPresentation,
  type VerifiablePresentation,
  type CreatePresentationOptions,
  type SignPresentationOptions,
  type VerifyPresentationOptions,
  type PresentationVerification,
} from './presentations.js';
export {
  MIN_STATUS_LIST_LENGTH,
  type StatusListEntry,
  type StatusListRepository,
  type StatusListState,
  type StatusPurpose,
} from './status-list/status-list-state.js';
export { createStatusListManager, type StatusListManager, type StatusListManagerOptions } from './status-list/status-list-manager.js';
export { createStatusChecker, type StatusChecker, type StatusCheckerOptions } from './status-list/status-checker.js';
export { createHttpStatusListFetcher, type HttpStatusListFetcherOptions } from './status-list/http-status-list-fetcher.js';
export { createJsonFileStatusListRepository } from './node-fs/status-list-file-repository.js';
export {
  issueParticipantCredential,
  issueServiceOfferingCredential,
  buildSelfDescription,
  SOV_CONTEXT_V1,
  GX_SUBSET_CONTEXT_V1,
  type ParticipantClaims,
  type ServiceOfferingClaims,
  type Address,
  type RegistrationNumberKind,
  type SelfIssueOptions,
  type SelfDescriptionOptions,
} from './self-description.js';

let shippedContexts: Map<string, unknown> | undefined;

/** Standard contexts plus every vocab/ file, read once per process. */
export function shippedJsonLdContexts(): ReadonlyMap<string, unknown> {
  shippedContexts ??= new Map([...standardContexts(), ...readVocabularyFiles()]);
  return shippedContexts;
}

export interface CreateDocumentLoaderOptions {
  didResolver: Resolvable;
  statusLists?: StatusListSource;
  extraDocuments?: ReadonlyMap<string, unknown>;
  /** Default: shippedJsonLdContexts(). */
  contexts?: ReadonlyMap<string, unknown>;
}

/** The offline document loader with the shipped contexts (composition of the pieces above). */
export function createDocumentLoader(options: CreateDocumentLoaderOptions): DocumentLoader {
  return createOfflineDocumentLoader({ ...options, contexts: options.contexts ?? shippedJsonLdContexts() });
}
