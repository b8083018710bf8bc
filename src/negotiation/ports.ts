/**
 * What contract negotiation needs from the outside world (conventions §2). The SQL
 * repository, the policy engine, the kms-backed signer and the catalogue implement these.
 */
import type { Clock, IdGenerator } from '../clock/index.js';
import type { AcknowledgedEntry, OdrlAgreement, OdrlOffer, MessageOffer, OutboxEntry, VerifiedCaller } from '../dsp/index.js';
import type { Result } from '../errors/index.js';
import type { AgreementProof, ContractNegotiation, PolicyReason } from './entity.js';

/**
 * Persistence of negotiation records. Contract for adapters (the shared contract suite in
 * test/negotiation exercises the in-memory double the same way):
 * - `get` looks up by our own pid (`record.id`).
 * - `findByCounterpartyPid` finds the record whose counterparty is `counterpartyDid` and whose
 *   *other* pid (consumerPid when we are the provider, providerPid otherwise) is `pid`.
 *   (counterpartyDid, that pid) is unique: index it.
 * - `findByAgreementId` finds the record holding `agreement['@id']` (the transfer process
 *   looks agreements up by id).
 * - `commit` stores the record and the outbox entries in ONE transaction. With
 *   `expectedVersion: null` it inserts (failing with SOV_NEG_CONFLICT if the id or the
 *   counterparty pair exists); otherwise it updates only if the stored version equals
 *   `expectedVersion` (else SOV_NEG_CONFLICT, nothing written). `record.version` is already
 *   the new version. Records are returned as stored (deep copies, never shared objects).
 *   With `acknowledged`, the same transaction marks that outbox entry delivered if it is still
 *   pending.
 */
export interface NegotiationRepository {
  get(id: string): Promise<ContractNegotiation | undefined>;
  findByCounterpartyPid(counterpartyDid: string, pid: string): Promise<ContractNegotiation | undefined>;
  findByAgreementId(agreementId: string): Promise<ContractNegotiation | undefined>;
  commit(change: NegotiationChange): Promise<Result<void>>;
  /**
   * Whether our outbox entry `id` has been handed to delivery at least once (or settled), so its
   * recipient may hold the message; false while it has never left the queue.
   */
  outboxEntrySent(id: string): Promise<boolean>;
}

export interface NegotiationChange {
  record: ContractNegotiation;
  expectedVersion: number | null;
  /** Messages to deliver once committed (the outbox: same transaction as the record). */
  outbox: readonly OutboxEntry[];
  /**
   * Our outbox entry whose acknowledgement this change records (`confirmDelivery`): marked
   * delivered in the same transaction, unless it is already settled.
   */
  acknowledged?: AcknowledgedEntry;
}

export interface PolicyDecision {
  permitted: boolean;
  /** The engine's full decision report (which rule, which constraint, which check). */
  report: unknown;
  /** Why not (empty when permitted): returned to the consumer in the termination message. */
  reasons: PolicyReason[];
}

export interface PolicyContext {
  stage: 'catalog' | 'request' | 'verification' | 'transfer';
  /** The dataset the policy is about. */
  target: string;
  /** ISO-8601 time of the decision (from the injected clock). */
  now: string;
  agreementId?: string;
  /** The purpose IRI the consumer stated (negotiation); an agreement carries its own (`SOV_PURPOSE`). */
  purpose?: string;
  /** Transfers already started under the agreement (for count limits). */
  transfersSoFar?: number;
}

/** The policy engine: may the caller, with its verified claims, use this offer? */
export interface PolicyDecider {
  decide(offer: OdrlOffer | MessageOffer | OdrlAgreement, caller: VerifiedCaller, context: PolicyContext): PolicyDecision | Promise<PolicyDecision>;
}

/** Signs and verifies agreements with kms keys over their canonical form (RDFC / JCS). */
export interface AgreementSigner {
  sign(agreement: OdrlAgreement): Promise<AgreementProof>;
  /** `signerDid` is the party that must have made `proof` (the counterparty). */
  verify(agreement: OdrlAgreement, proof: AgreementProof, signerDid: string): Promise<{ verified: boolean; errors: string[] }>;
}

/** The provider's catalogue offers, by offer id (see src/catalog `offerIndex`). */
export interface OfferCatalog {
  findOffer(offerId: string): Promise<{ offer: OdrlOffer; target: string } | undefined>;
}

export interface NegotiationDeps {
  repository: NegotiationRepository;
  policy: PolicyDecider;
  signer: AgreementSigner;
  offers: OfferCatalog;
  clock: Clock;
  ids: IdGenerator;
  /** This connector: its DID and the DSP base counterparties call back. */
  self: { did: string; dspBase: string };
  /**
   * When true, an agreement (or verification) without our proof extension is refused; when
   * false (default) it is accepted unsigned, so plain DSP peers such as EDC interoperate, but a
   * proof that is present must verify.
   */
  requireCounterpartyProof?: boolean;
}
