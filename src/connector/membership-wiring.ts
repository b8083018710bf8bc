/**
 * The federation trust of one connector (design.md "Trust model"), wired from its config: the
 * trust list of registrars it chose (with their pinned keys), the caller-token verifier with
 * its persisted replay cache, the membership verifier that queries a caller's credential
 * service, the client that signs every outbound connector call, and the holder side — the
 * membership credential this connector holds (a JSON file under dataDir) and the DCP
 * credential service that presents it to verifiers.
 */
import { join } from 'node:path';
import type { Resolvable } from 'did-resolver';
import type { Clock, IdGenerator } from '../clock/index.js';
import type { ConnectorConfig } from '../config/index.js';
import { ok } from '../errors/index.js';
import type { VerifiedCaller } from '../dsp/index.js';
import {
  createConnectorIdentity,
  createDidResolver,
  createJsonFileStatusListRepository,
  shippedJsonLdContexts,
  type ConnectorIdentity,
  type FetchLike,
} from '../identity/index.js';
import { createPeerTransport } from '../http/dsp/index.js';
import type { FileKms } from '../kms/index.js';
import type { Database } from '../store/index.js';
import {
  createCallerAuthenticator,
  createCallerTokenVerifier,
  createConnectorClient,
  createCredentialService,
  createJsonFileHeldCredentialStore,
  createMembershipVerifier,
  createSqlReplayCache,
  createTrustList,
  pinnedDidResolver,
  type AnswerPresentationQuery,
  type CallerRequest,
  type ConnectorClient,
  type HeldCredentialStore,
  type MembershipVerifier,
  type TrustList,
  type VerifiedClaims,
} from '../trust/index.js';
import type { StoreAuditLog } from '../audit/index.js';
import type { Result } from '../errors/index.js';

export interface MembershipWiringOptions {
  config: ConnectorConfig;
  identity: ConnectorIdentity;
  kms: FileKms;
  db: Database;
  clock: Clock;
  ids: IdGenerator;
  audit: StoreAuditLog;
  fetch?: FetchLike;
}

/** Every membership presentation actually checked is audited (issue 5: credential verified / refused). */
function auditVerdicts(audit: StoreAuditLog, selfDid: string) {
  return async (callerDid: string, verdict: Result<VerifiedClaims>): Promise<void> => {
    if (verdict.ok) {
      const { membershipCredentialId, registrar, jurisdiction, roles } = verdict.value;
      await audit.record({ actor: selfDid, type: 'credential.verified', subjects: [callerDid, membershipCredentialId], details: { registrar, jurisdiction, roles } });
    } else {
      await audit.record({ actor: selfDid, type: 'credential.refused', subjects: [callerDid], details: { code: verdict.code, detail: verdict.detail } });
    }
  };
}

export interface ConnectorTrust {
  trustList: TrustList;
  /** did:web resolution shared by the trust checks (registrar keys pinned). */
  didResolver: Resolvable;
  /** The credentials this connector holds about itself (its membership credential). */
  held: HeldCredentialStore;
  membership: MembershipVerifier;
  /** Signs every outbound connector-to-connector call (caller token bound to the request). */
  client: ConnectorClient;
  /** Caller token + membership of an inbound DSP request, as the domain's VerifiedCaller. */
  authenticate(request: CallerRequest): Promise<Result<VerifiedCaller>>;
  /** The DCP credential endpoint's answer (identity routes `/cs/presentations/query`). */
  answerPresentationQuery: AnswerPresentationQuery;
}

export function wireMembership(options: MembershipWiringOptions): ConnectorTrust {
  const { config, identity, kms, db, clock, ids } = options;
  const fetch = options.fetch;
  const resolverOptions = fetch === undefined ? { clock } : { clock, fetch };
  const didResolver = pinnedDidResolver(createDidResolver(resolverOptions), config.trustList);
  const trustList = createTrustList({ entries: config.trustList, didResolver });
  // Presentations are verified through an identity that knows the trust list and resolves
  // registrars only with their pinned keys, so a status list signed by an unpinned key fails too.
  const verifier = createConnectorIdentity({
    baseUrl: config.publicBaseUrl,
    kms,
    clock,
    contexts: shippedJsonLdContexts(),
    statusListRepository: createJsonFileStatusListRepository({ path: join(config.dataDir, 'status-lists.json') }),
    isTrustedIssuer: trustList.isTrustedIssuer,
    didResolver,
    ...(fetch === undefined ? {} : { fetch }),
  });
  const verifyToken = createCallerTokenVerifier({ selfDid: identity.did, clock, replay: createSqlReplayCache(db, clock), didResolver });
  // Connector calls carry bodies: the client uses the keep-alive peer transport (`fetch` here serves GETs of DID documents and status lists).
  const client = createConnectorClient({ did: identity.did, kms, clock, ids, transport: createPeerTransport().send });
  const membership = createMembershipVerifier({ selfDid: identity.did, identity: verifier, trustList, clock, didResolver, client, onVerdict: auditVerdicts(options.audit, identity.did) });
  const authenticateClaims = createCallerAuthenticator({ publicBaseUrl: config.publicBaseUrl, verifyToken, membership });
  const held = createJsonFileHeldCredentialStore({ path: join(config.dataDir, 'held-credentials.json') });
  return {
    trustList,
    didResolver,
    held,
    membership,
    client,
    async authenticate(request) {
      const claims = await authenticateClaims(request);
      // VerifiedClaims is plain JSON data: the domain reads it as a claims record.
      return claims.ok ? ok({ did: claims.value.did, claims: claims.value as unknown as Readonly<Record<string, unknown>> }) : claims;
    },
    answerPresentationQuery: createCredentialService({ identity, held, verifyToken, publicBaseUrl: config.publicBaseUrl }),
  };
}
