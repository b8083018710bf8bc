/**
 * Whether an agreement lets data (or a key) go to a consumer NOW (issue 7: "The envelope is
 * issued only if the agreement is finalized and its policy holds now"; owner-held releases
 * re-evaluate "time window, count of uses, purpose, revocation, jurisdiction profile"). The
 * policy engine and the provider's jurisdiction profile decide through the negotiation's
 * `PolicyDecider`, with the consumer's current membership claims and the stated purpose.
 */
import { isoTime, type Clock } from '../../clock/index.js';
import { jsonDigest, type OdrlAgreement } from '../../dsp/index.js';
import { fail, ok, type Result } from '../../errors/index.js';
import type { PolicyDecision } from '../../negotiation/index.js';
import type { DecisionReport, DutyReport } from '../../policy/index.js';
import type { ClaimsOf, DspRecords, OutboundTransferRepository } from './ports.js';

export interface GateDeps extends DspRecords {
  claimsOf: ClaimsOf;
  records: Pick<OutboundTransferRepository, 'revokedAt'>;
  clock: Clock;
}

export interface GateRequest {
  agreementId: string;
  consumerDid: string;
  /** Uses already made under the agreement (transfers or key releases). */
  uses: number;
  purpose?: string;
}

export interface GateDecision {
  agreement: OdrlAgreement;
  decision: PolicyDecision;
  claims: Readonly<Record<string, unknown>>;
  reportDigest: string;
  /** Pre-condition duties the data plane must perform before release (e.g. anonymize). */
  pendingDuties: DutyReport[];
}

export async function heldAgreement(deps: Pick<GateDeps, 'negotiations'>, agreementId: string, consumerDid: string): Promise<Result<OdrlAgreement>> {
  const negotiation = await deps.negotiations.findByAgreementId(agreementId);
  if (negotiation?.role !== 'provider' || negotiation.counterpartyDid !== consumerDid || negotiation.agreement === undefined) {
    return fail('SOV_DATAPLANE_AGREEMENT_NOT_HELD', `agreement ${agreementId} is not one we granted to ${consumerDid}`, { agreementId });
  }
  if (negotiation.state !== 'FINALIZED') {
    return fail('SOV_DATAPLANE_AGREEMENT_NOT_HELD', `agreement ${agreementId} is ${negotiation.state ?? 'pending'}, not FINALIZED`, { agreementId });
  }
  return ok(negotiation.agreement);
}

/** Finalized, held by the consumer, not revoked: checked on every data-plane call. */
export async function agreementStanding(deps: Pick<GateDeps, 'negotiations' | 'records'>, agreementId: string, consumerDid: string): Promise<Result<OdrlAgreement>> {
  const agreement = await heldAgreement(deps, agreementId, consumerDid);
  if (!agreement.ok) return agreement;
  const revokedAt = await deps.records.revokedAt(agreementId);
  if (revokedAt !== undefined) return fail('SOV_DATAPLANE_AGREEMENT_REVOKED', `the owner revoked agreement ${agreementId} at ${revokedAt}`, { agreementId, revokedAt });
  return agreement;
}

/** The full check: standing, then the policy with the consumer's current claims. */
export async function checkAgreement(deps: GateDeps, request: GateRequest): Promise<Result<GateDecision>> {
  const agreement = await agreementStanding(deps, request.agreementId, request.consumerDid);
  if (!agreement.ok) return agreement;
  const claims = await deps.claimsOf(request.consumerDid);
  if (!claims.ok) return claims;
  const caller = { did: request.consumerDid, claims: { ...claims.value, ...(request.purpose === undefined ? {} : { purpose: request.purpose }) } };
  const context = { stage: 'transfer' as const, target: agreement.value.target, now: isoTime(deps.clock), agreementId: request.agreementId, transfersSoFar: request.uses };
  const decision = await deps.policy.decide(agreement.value, caller, context);
  const reportDigest = jsonDigest(decision.report ?? null);
  if (!decision.permitted) {
    const words = decision.reasons.map((reason) => reason.message).join('; ');
    return fail('SOV_DATAPLANE_POLICY_REFUSED', `agreement ${request.agreementId} does not permit this now: ${words}`, { reasons: decision.reasons, reportDigest, report: decision.report });
  }
  const report = decision.report as Partial<DecisionReport> | undefined;
  const pendingDuties = (report?.duties ?? []).filter((duty) => duty.timing === 'pre-condition' && duty.state === 'pending');
  return ok({ agreement: agreement.value, decision, claims: claims.value, reportDigest, pendingDuties });
}
