/**
 * The evidence contract: the audit entries an evidence pack is made from, with the exact shape
 * of their `details`. Producers (the DSP transfer process, the data plane, the policy
 * decision points) build their entries with these functions, inside the transaction of the
 * state change they record (`audit.append(tx, outboundTransferEntry(…))`); the pack reads them
 * back with the same schemas, so writer and reader cannot drift apart.
 *
 * - A dataset leaving the nation: `key.released` (every key handed over or released), or
 *   `transfer.state` with `state: 'COMPLETED'` on the provider side, `direction: 'outbound'`.
 * - A refusal: `policy.decision` with outcome `prohibited` or `not-applicable`.
 * - A receipt: `transfer.receipt`, the consumer's signed `TransferReceipt`.
 * Key events (`key.created|rotated|destroyed`, `datakey.shredded`) are read as they are.
 */
import { z } from 'zod';
import type { AuditEntryInput } from '../audit/index.js';
import { reportDigest, type DecisionReport } from '../policy/index.js';
import { digestSchema } from './digest.js';
import { receiptDigest, transferReceiptSchema, type TransferReceipt } from './transfer-receipt.js';

const did = z.string().regex(/^did:[a-z0-9]+:\S+$/, 'a DID');
const id = z.string().min(1).max(512);
/** A partner id (`ca`) or a member of one (`eu/de`), as jurisdiction profiles name places. */
const place = z.string().regex(/^[a-z]{2,8}(\/[a-z]{2,8})?$/, 'a partner id such as ca or eu/de');

export const classificationSchema = z.object({
  /** The label in the provider's own scheme (`OFFICIAL-SENSITIVE`). */
  label: z.string().min(1).max(128),
  /** The coalition's common ordinal level (0 … 5) the profile maps the label to. */
  level: z.number().int().min(0).max(5),
});

export const outboundTransferDetailsSchema = z.object({
  direction: z.literal('outbound'),
  /** Present on `transfer.state` entries: only COMPLETED counts as having left. */
  state: z.literal('COMPLETED').optional(),
  transferId: id,
  agreementId: id,
  datasetId: id,
  datasetTitle: z.string().max(1024).optional(),
  recipientDid: did,
  recipientJurisdiction: place,
  classification: classificationSchema,
  policyDecisionDigest: digestSchema,
  anonymisationReportDigest: digestSchema.optional(),
  containerDigest: digestSchema,
  receiptDigest: digestSchema.optional(),
  keyReleaseMode: z.enum(['handover', 'owner-held']),
});

export type OutboundTransferDetails = z.infer<typeof outboundTransferDetailsSchema>;

export const refusalReasonSchema = z.object({
  code: z.string().min(1).max(128),
  message: z.string().max(2048),
  rule: z.string().max(512).optional(),
  constraint: z.string().max(512).optional(),
});

export const refusalDetailsSchema = z
  .object({
    outcome: z.enum(['prohibited', 'not-applicable']),
    stage: z.enum(['catalog', 'negotiation', 'transfer', 'key-release']),
    counterpartyDid: did,
    /** The counterparty's place. */
    jurisdiction: place,
    datasetId: id.optional(),
    offerId: id.optional(),
    reasons: z.array(refusalReasonSchema).min(1).max(64),
    reportDigest: digestSchema,
  })
  .refine((details) => details.datasetId !== undefined || details.offerId !== undefined, { message: 'a refusal names a datasetId or an offerId' });

export type RefusalDetails = z.infer<typeof refusalDetailsSchema>;

export const receiptDetailsSchema = z.object({
  transferId: id,
  agreementId: id,
  containerDigest: digestSchema,
  receipt: transferReceiptSchema,
  receiptDigest: digestSchema,
});

export type ReceiptDetails = z.infer<typeof receiptDetailsSchema>;

/** Audit details are JSON: drop absent optional members rather than store `undefined`. */
function json(value: object): NonNullable<AuditEntryInput['details']> {
  return JSON.parse(JSON.stringify(value)) as NonNullable<AuditEntryInput['details']>;
}

export interface OutboundTransferInput extends Omit<OutboundTransferDetails, 'direction' | 'state'> {
  /** Who caused it: the provider connector's DID, or `admin:<name>`. */
  actor: string;
  /** `key.released` (a key handed over or released once) or `transfer.state` COMPLETED. */
  event: 'key.released' | 'transfer.state';
}

/** The entry for a dataset leaving the nation. Invalid input is the producer's bug: throws. */
export function outboundTransferEntry(input: OutboundTransferInput): AuditEntryInput {
  const { actor, event, ...rest } = input;
  const details = outboundTransferDetailsSchema.parse({ ...rest, direction: 'outbound', ...(event === 'transfer.state' ? { state: 'COMPLETED' } : {}) });
  return { actor, type: event, subjects: [details.transferId, details.agreementId, details.datasetId], digest: details.containerDigest, details: json(details) };
}

export interface PolicyRefusalInput extends Omit<RefusalDetails, 'outcome' | 'reasons' | 'reportDigest'> {
  actor: string;
  /** The policy engine's decision report; its outcome must be a refusal. */
  report: DecisionReport;
}

/** The entry for a refusal, its reasons and digest taken from the decision report. */
export function policyRefusalEntry(input: PolicyRefusalInput): AuditEntryInput {
  const { actor, report, ...rest } = input;
  const reasons = report.reasons.map((reason) => ({
    code: reason.code,
    message: reason.message,
    ...(reason.ruleId === undefined ? {} : { rule: reason.ruleId }),
    ...(reason.path === undefined ? {} : { constraint: reason.path }),
  }));
  const details = refusalDetailsSchema.parse({ ...rest, outcome: report.outcome, reasons, reportDigest: reportDigest(report) });
  const subjects = [details.offerId, details.datasetId].filter((s): s is string => s !== undefined);
  return { actor, type: 'policy.decision', subjects, digest: details.reportDigest, details: json(details) };
}

/** The entry recording the consumer's receipt (verify it first: `verifyTransferReceipt`). */
export function transferReceiptEntry(input: { actor: string; receipt: TransferReceipt }): AuditEntryInput {
  const receipt = transferReceiptSchema.parse(input.receipt);
  const details = receiptDetailsSchema.parse({
    transferId: receipt.transferId,
    agreementId: receipt.agreementId,
    containerDigest: receipt.containerDigest,
    receipt,
    receiptDigest: receiptDigest(receipt),
  });
  return { actor: input.actor, type: 'transfer.receipt', subjects: [receipt.transferId, receipt.agreementId], digest: details.receiptDigest, details: json(details) };
}
