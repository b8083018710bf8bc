/**
 * The contract negotiation record both sides keep (one per process, keyed by our own pid).
 * It is plain data: repositories store it whole (a JSON column is fine) and the domain
 * replaces it on each change, bumping `version` for optimistic concurrency.
 */
import type { MessageOffer, NegotiationState, OdrlAgreement, Role } from '../dsp/index.js';
import type { NegotiationMessage } from './table.js';

/** A detached signature over the agreement's canonical form, as the AgreementSigner made it. */
export type AgreementProof = Readonly<Record<string, unknown>>;

export interface PolicyReason {
  /** Stable machine-readable code from the policy engine (which check failed). */
  code: string;
  message: string;
  /** Which rule, e.g. `permission[0]`. */
  rule?: string;
  /** Which constraint, e.g. `permission[0].constraint[1]` or its leftOperand. */
  constraint?: string;
}

export interface DecisionRecord {
  stage: 'request' | 'verification';
  permitted: boolean;
  reasons: PolicyReason[];
  /** The policy engine's full report (shown by the management API) and its digest. */
  report: unknown;
  reportDigest: string;
  decidedAt: string;
}

export interface Termination {
  by: Role;
  code?: string;
  reason?: unknown[];
  at: string;
}

export interface ContractNegotiation {
  /** Our own pid: the providerPid when we are the provider, the consumerPid otherwise. */
  id: string;
  role: Role;
  /** Unknown to a provider that made the first offer until the consumer acknowledges it. */
  consumerPid?: string;
  /** Unknown to a consumer until the provider acknowledges the initial request. */
  providerPid?: string;
  /** Undefined only while our own initial message awaits its acknowledgement. */
  state?: NegotiationState;
  counterpartyDid: string;
  /** Where to send messages: the consumer's callbackAddress, or the provider's DSP base. */
  counterpartyAddress: string;
  /** The current offer (with `target`) and who made it. */
  offer: MessageOffer & { target: string };
  offerBy: Role;
  /**
   * The purpose IRI the consumer stated in its ContractRequestMessage (our `SOV_PURPOSE`
   * extension): what the policy is evaluated for, and what the agreement binds the data to.
   */
  purpose?: string;
  agreement?: OdrlAgreement;
  proofs: { provider?: AgreementProof; consumer?: AgreementProof };
  decision?: DecisionRecord;
  /** Set when new consumer terms wait for an admin's decision (counter-offer, agree, terminate). */
  awaitingDecision?: boolean;
  termination?: Termination;
  /** Our message in flight: the state moves when it is acknowledged (dsp.md §5). */
  pending?: { message: NegotiationMessage; outboxId: string };
  /** Digest and status of the latest of each message kind received, for idempotent replays. */
  received: Partial<Record<NegotiationMessage, { digest: string; status: 200 | 201 }>>;
  createdAt: string;
  updatedAt: string;
  /** Incremented on every commit; `commit` fails when the stored version differs. */
  version: number;
}
