/**
 * One connector's identity, assembled from the pieces of this module for the composition
 * root, the HTTP routes and the CLI: its did:web DID and document, a resolver and offline
 * loader, a kms-backed signer, its revocation list (hosted at `<base>/status/revocation/1`),
 * a fail-closed status checker, and issue/verify/present with those wired in.
 */
import type { Resolvable } from 'did-resolver';
import type { Clock } from '../clock/index.js';
import { unwrap, type Result } from '../errors/index.js';
import type { Kms } from '../kms/ports.js';
import type { FetchLike } from './bounded-fetch.js';
import { connectorDidDocument } from './connector-did.js';
import { issueCredential, verifyCredential, type CredentialVerification, type IssuerTrustCheck, type VerifiableCredential } from './credentials.js';
import type { DidDocument } from './did-document.js';
import { didFromUrl } from './did-web.js';
import { createDidResolver } from './did-web-resolver.js';
import { createOfflineDocumentLoader, type DocumentLoader } from './document-loader.js';
import { createPresentation, signPresentation, verifyPresentation, type PresentationVerification, type VerifiablePresentation } from './presentations.js';
import { createKmsSigner, type ProofSigner } from './proof-suites.js';
import { createHttpStatusListFetcher } from './status-list/http-status-list-fetcher.js';
import { createStatusChecker, type StatusChecker } from './status-list/status-checker.js';
import { createStatusListManager, type StatusListManager } from './status-list/status-list-manager.js';
import type { StatusListRepository } from './status-list/status-list-state.js';

export interface ConnectorIdentityOptions {
  /** Public base URL; the DID is derived from it (`http://127.0.0.1:7001` → `did:web:127.0.0.1%3A7001`). */
  baseUrl: string;
  kms: Kms;
  clock: Clock;
  /** Offline contexts (standard + vocab/); see `shippedJsonLdContexts()`. */
  contexts: ReadonlyMap<string, unknown>;
  statusListRepository: StatusListRepository;
  isTrustedIssuer?: IssuerTrustCheck;
  /** Used for DID documents and status lists of others; default global fetch. */
  fetch?: FetchLike;
  /** Default: a did:web resolver over `fetch` with the default TTL cache. */
  didResolver?: Resolvable;
}

export interface ConnectorIdentity {
  did: string;
  documentLoader: DocumentLoader;
  statusList: StatusListManager;
  statusChecker: StatusChecker;
  /** The document to serve at `/.well-known/did.json` (reflects rotations). */
  didDocument(): DidDocument;
  /** A signer bound to the currently active signing key. */
  signer(): ProofSigner;
  issue(credential: Record<string, unknown>, options?: { withStatus?: boolean }): Promise<Result<VerifiableCredential>>;
  verifyCredential(credential: unknown): Promise<CredentialVerification>;
  present(credentials: unknown[], binding: { challenge: string; domain: string }): Promise<Result<VerifiablePresentation>>;
  verifyPresentation(presentation: unknown, binding: { challenge: string; domain: string; holderMustBeSubject?: boolean }): Promise<PresentationVerification>;
}

/** Where a connector publishes its revocation list. */
export function revocationListUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/status/revocation/1`;
}

export function createConnectorIdentity(options: ConnectorIdentityOptions): ConnectorIdentity {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const did = unwrap(didFromUrl(baseUrl));
  const { clock, kms } = options;
  const didResolver = options.didResolver ?? createDidResolver(options.fetch === undefined ? { clock } : { clock, fetch: options.fetch });
  const statusChecker = createStatusChecker({ clock, fetchListCredential: createHttpStatusListFetcher(options.fetch === undefined ? {} : { fetch: options.fetch }) });
  const documentLoader = createOfflineDocumentLoader({ contexts: options.contexts, didResolver, statusLists: statusChecker });
  const signer = (): ProofSigner => createKmsSigner({ kms, did });
  const statusList = createStatusListManager({
    listUrl: revocationListUrl(baseUrl),
    issuerDid: did,
    signer,
    documentLoader,
    repository: options.statusListRepository,
    clock,
  });
  const verifierOptions = {
    documentLoader,
    clock,
    statusChecker,
    ...(options.isTrustedIssuer === undefined ? {} : { isTrustedIssuer: options.isTrustedIssuer }),
  };
  return {
    did,
    documentLoader,
    statusList,
    statusChecker,
    didDocument: () => connectorDidDocument({ did, kms, baseUrl }),
    signer,
    issue: (credential, issueOptions) =>
      issueCredential({ credential, signer: signer(), documentLoader, clock, ...(issueOptions?.withStatus ? { statusList } : {}) }),
    verifyCredential: (credential) => verifyCredential(credential, verifierOptions),
    async present(credentials, binding) {
      const presentation = createPresentation({ credentials, holder: did, clock });
      if (!presentation.ok) return presentation;
      return signPresentation({ presentation: presentation.value, signer: signer(), documentLoader, clock, ...binding });
    },
    verifyPresentation: (presentation, binding) => verifyPresentation(presentation, { ...verifierOptions, ...binding }),
  };
}
