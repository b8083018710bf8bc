/**
 * Effect steps both sides share: evaluating a policy and keeping the decision, checking a
 * counterparty's agreement proof, issuing the signed agreement, and queuing a termination.
 * Each works on the draft record and outbox of one inbound step or local command.
 */
import { isoTime } from '../clock/index.js';
import {
  contractAgreementMessage,
  contractNegotiationTerminationMessage,
  jsonDigest,
  SOV_AGREEMENT_PROOF,
  type MessageOffer,
  type OdrlAgreement,
  type OutboxEntry,
  type Role,
} from '../dsp/index.js';
import { fail, ok, type Result } from '../errors/index.js';
import type { ContractNegotiation, DecisionRecord, PolicyReason } from './entity.js';
import type { NegotiationDeps } from './ports.js';
import type { EffectContext } from './receive.js';
import { enqueue, pidsOf } from './records.js';
import { buildAgreement } from './terms.js';

/** Evaluates `policy` for the caller and records the decision on the draft. */
export async function evaluate(
  ctx: EffectContext,
  stage: DecisionRecord['stage'],
  policy: MessageOffer | OdrlAgreement,
): Promise<DecisionRecord> {
  const { deps, record } = ctx;
  const now = isoTime(deps.clock);
  const purpose = record.purpose === undefined ? {} : { purpose: record.purpose };
  const decision = await deps.policy.decide(policy, ctx.caller, { stage, target: record.offer.target, now, ...purpose });
  record.decision = {
    stage,
    permitted: decision.permitted,
    reasons: decision.reasons,
    report: decision.report,
    reportDigest: jsonDigest(decision.report ?? null),
    decidedAt: now,
  };
  return record.decision;
}

/** Reasons in the termination message: words for people, codes and locations for machines. */
function reasonEntries(reasons: readonly PolicyReason[]): unknown[] {
  return reasons.map((r) => ({ ...r }));
}

/** Queues a termination; the state becomes TERMINATED once the counterparty acknowledges it. */
export function sendTermination(
  deps: NegotiationDeps,
  record: ContractNegotiation,
  outbox: OutboxEntry[],
  termination: { code?: string; reason?: unknown[] },
): void {
  record.termination = { by: record.role, ...termination, at: isoTime(deps.clock) };
  enqueue(deps, record, outbox, 'ContractNegotiationTerminationMessage', contractNegotiationTerminationMessage({ ...pidsOf(record), ...termination }));
}

export function refuse(ctx: EffectContext, reasons: readonly PolicyReason[]): void {
  sendTermination(ctx.deps, ctx.record, ctx.outbox, { code: 'SOV_NEG_POLICY_REFUSED', reason: reasonEntries(reasons) });
}

/** Builds, signs (kms) and queues the agreement for the current offer (provider). */
export async function sendAgreement(deps: NegotiationDeps, record: ContractNegotiation, outbox: OutboxEntry[]): Promise<void> {
  const agreement = buildAgreement(deps, record);
  const proof = await deps.signer.sign(agreement);
  record.agreement = agreement;
  record.proofs = { ...record.proofs, provider: proof };
  record.awaitingDecision = undefined;
  enqueue(deps, record, outbox, 'ContractAgreementMessage', contractAgreementMessage({ ...pidsOf(record), agreement, proof }));
}

/**
 * Verifies the proof the counterparty attached (our extension property) and keeps it. A
 * missing proof is accepted unless `requireCounterpartyProof` is set (plain DSP peers).
 */
export async function checkProof(ctx: EffectContext, agreement: OdrlAgreement, signer: Role): Promise<Result<void>> {
  const proof = ctx.body[SOV_AGREEMENT_PROOF];
  if (proof === undefined) {
    if (!ctx.deps.requireCounterpartyProof) return ok(undefined);
    return fail('SOV_NEG_SIGNATURE_INVALID', `The ${signer} sent no proof over agreement ${agreement['@id']}`, { signer });
  }
  const check = typeof proof === 'object' && proof !== null
    ? await ctx.deps.signer.verify(agreement, proof as Record<string, unknown>, ctx.caller.did)
    : { verified: false, errors: ['the proof is not a JSON object'] };
  if (!check.verified) {
    return fail('SOV_NEG_SIGNATURE_INVALID', `The ${signer}'s proof over agreement ${agreement['@id']} does not verify: ${check.errors.join('; ')}`, {
      signer,
      errors: check.errors,
    });
  }
  ctx.record.proofs = { ...ctx.record.proofs, [signer]: proof as Record<string, unknown> };
  return ok(undefined);
}

export async function storeTermination(ctx: EffectContext): Promise<Result<void>> {
  const { code, reason } = ctx.body as { code?: string; reason?: unknown[] };
  ctx.record.termination = { by: ctx.sender, code, reason, at: isoTime(ctx.deps.clock) };
  ctx.record.pending = undefined;
  return ok(undefined);
}

