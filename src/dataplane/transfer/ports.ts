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
  /** Handover: the envelope issued with the start. */
  envelope?: KeyEnvelope;
  transformReport?: unknown;
  policyDecisionDigest: string;
  status: 'active' | 'suspended' | 'completed' | 'terminated';
  receipt?: TransferReceipt;
  createdAt: string;
  updatedAt: string;
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
