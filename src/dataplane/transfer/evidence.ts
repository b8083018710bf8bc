/**
 * The audit entries of the data plane, in the evidence contract of src/compliance: a key
 * handed over or released (`key.released`, outbound), a transfer completed
 * (`transfer.state` COMPLETED, outbound, with the receipt's digest), the consumer's receipt
 * (`transfer.receipt`) and every refusal (`policy.decision` with the reasons), so an evidence
 * pack lists what left, under which decision, and what was refused.
 */
import { jsonDigest, outboundTransferEntry, policyRefusalEntry, receiptDigest, refusalDetailsSchema, transferReceiptEntry, type TransferReceipt } from '../../compliance/index.js';
import type { Failure } from '../../errors/index.js';
import type { DecisionReport } from '../../policy/index.js';
import { containerDigestRef } from '../datasets/dataset.js';
import type { ProviderDeps } from './provider-deps.js';
import type { OutboundTransfer } from './ports.js';

type EvidenceDeps = Pick<ProviderDeps, 'audit' | 'claimsOf' | 'facts' | 'self'>;

async function factsFor(deps: EvidenceDeps, offeringId: string, consumerDid: string) {
  const claims = await deps.claimsOf(consumerDid);
  return deps.facts({ offeringId, consumerClaims: claims.ok ? claims.value : {} });
}

/** A key leaving: the handover envelope delivered, or one owner-held release. */
export async function recordKeyReleased(deps: EvidenceDeps, record: OutboundTransfer, event: 'key.released' | 'transfer.state'): Promise<void> {
  const facts = await factsFor(deps, record.offeringId, record.consumerDid);
  await deps.audit.record(
    outboundTransferEntry({
      actor: deps.self.did,
      event,
      transferId: record.transferId,
      agreementId: record.agreementId,
      datasetId: record.offeringId,
      recipientDid: record.consumerDid,
      recipientJurisdiction: facts.recipientJurisdiction,
      classification: facts.classification,
      policyDecisionDigest: record.policyDecisionDigest,
      containerDigest: containerDigestRef(record.containerDigest),
      keyReleaseMode: record.keyRelease,
      ...(record.receipt === undefined ? {} : { receiptDigest: receiptDigest(record.receipt) }),
      ...(record.transformReport === undefined ? {} : { anonymisationReportDigest: jsonDigest(record.transformReport) }),
    }),
  );
}

export async function recordReceipt(deps: EvidenceDeps, receipt: TransferReceipt): Promise<void> {
  await deps.audit.record(transferReceiptEntry({ actor: receipt.consumerDid, receipt }));
}

/**
 * A refusal at transfer start or key release. A policy refusal carries the engine's report;
 * any other (revoked, shredded, spent, not held) is recorded with its code as the reason.
 */
export async function recordRefusal(
  deps: EvidenceDeps,
  input: { stage: 'transfer' | 'key-release'; consumerDid: string; offeringId: string; failure: Failure; report?: unknown },
): Promise<void> {
  const facts = await factsFor(deps, input.offeringId, input.consumerDid);
  const common = { stage: input.stage, counterpartyDid: input.consumerDid, jurisdiction: facts.recipientJurisdiction, datasetId: input.offeringId };
  const report = input.report as DecisionReport | undefined;
  if (report !== undefined && (report.outcome === 'prohibited' || report.outcome === 'not-applicable')) {
    await deps.audit.record(policyRefusalEntry({ actor: deps.self.did, report, ...common }));
    return;
  }
  const reasons = [{ code: input.failure.code, message: input.failure.detail.slice(0, 2048) }];
  const details = refusalDetailsSchema.parse({ outcome: 'prohibited', ...common, reasons, reportDigest: jsonDigest(reasons) });
  await deps.audit.record({ actor: deps.self.did, type: 'policy.decision', subjects: [input.offeringId], digest: details.reportDigest, details: JSON.parse(JSON.stringify(details)) as Record<string, never> });
}
