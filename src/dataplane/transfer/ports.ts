/**
 * What the data plane's transfer side needs from outside (conventions §2): its own records,
 * the DSP transfer and negotiation records, the caller's membership claims, the policy engine,
 * the offering's policy (for the key-release mode), DID keys of peers, and the duty transform.
 */
import type { TransferReceipt } from '../../compliance/index.js';
import type { OdrlAgreement } from '../../dsp/index.js';
import type { Result } from '../../errors/index.js';
import type { NegotiationRepository, PolicyDecider } from '../../negotiation/index.js';
import type { DutyReport } from '../../policy/index.js';
import type { TransferProcess } from '../../transfer/index.js';
import type { DatasetRecord, KeyRelease } from '../datasets/dataset.js';
import type { KeyEnvelope } from '../envelope/schema.js';

/** The provider's side of one transfer: what it sends, under which token, and the receipt back. */
export interface OutboundTransfer {
  transferId: string;
  agreementId: string;
  consumerDid: string;
  /** The dataset record sent (or transformed from). */
  datasetId: string;
  offeringId: string;
  containerId: string;
  dataKeyId: string;
  /** Container digest, lowercase hex. */
  containerDigest: string;
  keyRelease: KeyRelease;
  token: { value: string; jti: string; expiresAt: string };
  /** Handover: the envelope issued with the start (or renewed for a push that outlived it). */
  envelope?: KeyEnvelope;
  /** Push: the signature of the envelope whose leaving is audited, so a retried delivery of it is not recorded as another release. */
  releaseRecorded?: string;
  transformReport?: unknown;
  policyDecisionDigest: string;
  status: 'active' | 'suspended' | 'completed' | 'terminated';
  /** Push transfers: the consumer's sink and its credential (from the consumer's DataAddress). */
  push?: PushSink;
  receipt?: TransferReceipt;
  createdAt: string;
  updatedAt: string;
}

/** Where a push goes: the consumer's inbound sink URL and the sink token it issued us. */
export interface PushSink {
  endpoint: string;
  token: string;
}

export interface KeyReleaseEvent {
  agreementId: string;
  transferId: string;
  consumerDid: string;
  purpose?: string;
  outcome: 'released' | 'refused';
  code?: string;
  at: string;
}

export interface OutboundTransferRepository {
  get(transferId: string): Promise<OutboundTransfer | undefined>;
  save(record: OutboundTransfer): Promise<void>;
  /** The owner-held transfer that delivered container `containerDigest` to `consumerDid` under the agreement. */
  findDelivered(agreementId: string, consumerDid: string, containerDigest: string): Promise<OutboundTransfer | undefined>;
  recordRelease(event: KeyReleaseEvent): Promise<void>;
  /** Keys released under the agreement so far: the "uses" count-limited policies measure. */
  releasesSoFar(agreementId: string): Promise<number>;
  revoke(agreementId: string, at: string, reason: string): Promise<void>;
  revokedAt(agreementId: string): Promise<string | undefined>;
}

/** The caller's verified membership claims (trust's `MembershipVerifier.claimsFor`). */
export type ClaimsOf = (did: string) => Promise<Result<Readonly<Record<string, unknown>>>>;

/**
 * Performs an agreement's pre-condition duties (the anonymisation duty, design.md step 4):
 * writes a NEW container under a fresh DEK and returns it. Without pending duties the default
 * returns the dataset as it is; with duties it cannot perform, it refuses (fail closed).
 */
export type DatasetTransform = (input: {
  dataset: DatasetRecord;
  agreement: OdrlAgreement;
  duties: readonly DutyReport[];
}) => Promise<Result<{ containerId: string; dataKeyId: string; containerDigest: string; report?: unknown }>>;

/** Public keys of other connectors from their DID documents. */
export interface PeerKeys {
  /** The X25519 keyAgreement key envelopes are sealed to. */
  agreementKey(did: string): Promise<Result<{ keyId: string; publicKey: Uint8Array }>>;
  /** An Ed25519 key listed under assertionMethod (containers, envelopes, receipts). */
  signingKey(didUrl: string): Promise<Result<Uint8Array>>;
}

/** Classification and recipient place for the compliance evidence of a dataset leaving. */
export type OutboundFacts = (input: { offeringId: string; consumerClaims: Readonly<Record<string, unknown>> }) => Promise<{
  classification: { label: string; level: number };
  recipientJurisdiction: string;
}>;

export interface DspRecords {
  transfers: { get(id: string): Promise<TransferProcess | undefined>; countByAgreement(agreementId: string): Promise<number> };
  negotiations: Pick<NegotiationRepository, 'findByAgreementId'>;
  policy: PolicyDecider;
}

/**
 * Calls to another connector's data plane, each signed with our caller token (the HTTP
 * adapter is src/dataplane/http). A non-2xx answer is a failure carrying the peer's code.
 */
export interface DataPlaneRemote {
  /** The response body as it streams; throws mid-iteration if the connection breaks. */
  getStream(url: string, audienceDid: string, headers: Record<string, string>): Promise<Result<AsyncIterable<Uint8Array>>>;
  getJson(url: string, audienceDid: string, headers: Record<string, string>): Promise<Result<unknown>>;
  postJson(url: string, audienceDid: string, body: unknown, headers: Record<string, string>): Promise<Result<unknown>>;
  /**
   * Streams a body too large to hold (a pushed container) and answers the JSON reply. `open`
   * yields the same bytes each time it is called: the adapter may read them twice (to bind
   * them into the caller token before sending). A connection that breaks is a failure.
   */
  postStream(url: string, audienceDid: string, headers: Record<string, string>, open: () => Promise<Result<AsyncIterable<Uint8Array>>>): Promise<Result<unknown>>;
}

/**
 * The consumer's side of a push transfer (issue 7 "Push: the provider sends them to the
 * consumer's endpoint"): an inbound sink named in the DataAddress of our TransferRequestMessage,
 * which only the agreement's provider may push into, with the sink token we issued it.
 */
export interface InboundSink {
  sinkId: string;
  agreementId: string;
  providerDid: string;
  /** Our transfer process, bound as soon as the request is committed. */
  transferId?: string;
  /**
   * `open`: taking container bytes; `stored`: the container arrived whole and verified;
   * `received`: the dataset is kept (the sink token is spent); `closed`: the transfer ended without it.
   */
  status: 'open' | 'stored' | 'received' | 'closed';
  /** The verified container once stored (what the delivery completes against). */
  container?: StoredContainer;
  createdAt: string;
  updatedAt: string;
}

/** What the container check established, kept between the container and the delivery call. */
export interface StoredContainer {
  /** Container digest, lowercase hex. */
  digest: string;
  /** The trailer signature, base64url. */
  signature: string;
  chunks: number;
  plaintextLength: number;
  size: number;
}

export interface InboundSinkRepository {
  get(sinkId: string): Promise<InboundSink | undefined>;
  findByTransfer(transferId: string): Promise<InboundSink | undefined>;
  save(sink: InboundSink): Promise<void>;
  delete(sinkId: string): Promise<void>;
}
