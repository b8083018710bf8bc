/**
 * The evidence pack (issue 5 "Compliance evidence"): what an auditor receives, as the subject
 * of a `ComplianceEvidenceCredential`. One schema serves the builder (its output type) and the
 * verifier (a received pack is parsed before anything reads it).
 */
import { z } from 'zod';
import { jurisdictionProfileSchema } from '../policy/index.js';
import { digestSchema } from './digest.js';
import { classificationSchema, refusalReasonSchema } from './evidence-events.js';
import { transferReceiptSchema } from './transfer-receipt.js';

export const EVIDENCE_PACK_VERSION = 1;

const evidenceRef = z.object({ seq: z.number().int().positive(), type: z.string(), time: z.string() });

export const outboundRecordSchema = z.object({
  transferId: z.string(),
  agreementId: z.string(),
  datasetId: z.string(),
  datasetTitle: z.string().optional(),
  recipientDid: z.string(),
  recipientJurisdiction: z.string(),
  classification: classificationSchema,
  policyDecisionDigest: digestSchema,
  anonymisationReportDigest: digestSchema.optional(),
  containerDigest: digestSchema,
  keyReleaseMode: z.enum(['handover', 'owner-held']),
  receiptDigest: digestSchema.optional(),
  receipt: transferReceiptSchema.optional(),
  /** Time of the first entry showing the dataset left. */
  leftAt: z.string(),
  /** The audit entries this record is drawn from (several for owner-held key releases). */
  evidence: z.array(evidenceRef).min(1),
});

export const refusalRecordSchema = z.object({
  seq: z.number().int().positive(),
  time: z.string(),
  actor: z.string(),
  outcome: z.enum(['prohibited', 'not-applicable']),
  stage: z.string(),
  counterpartyDid: z.string(),
  jurisdiction: z.string(),
  datasetId: z.string().optional(),
  offerId: z.string().optional(),
  reasons: z.array(refusalReasonSchema),
  reportDigest: digestSchema,
});

export const keyEventRecordSchema = z.object({
  seq: z.number().int().positive(),
  time: z.string(),
  type: z.string(),
  actor: z.string(),
  subjects: z.array(z.string()),
  details: z.record(z.string(), z.unknown()),
});

/** An entry that claims to be evidence but does not match the contract: shown, never dropped silently. */
export const anomalySchema = z.object({ seq: z.number().int().positive(), type: z.string(), problem: z.string() });

export const packCheckpointSchema = z.object({
  seq: z.number().int().positive(),
  headHash: z.string().regex(/^[0-9a-f]{64}$/),
  time: z.string(),
  keyId: z.string(),
  /** `<connector DID>#<keyId>`: the key is in the connector's DID document. */
  verificationMethod: z.string(),
  /** Ed25519 over the audit checkpoint message (src/audit/checkpoint.ts), base58btc multibase. */
  signature: z.string().regex(/^z[1-9A-HJ-NP-Za-km-z]+$/),
});

export const evidencePackSchema = z.object({
  packVersion: z.literal(EVIDENCE_PACK_VERSION),
  connector: z.string(),
  generatedAt: z.string(),
  period: z.object({ since: z.string(), until: z.string() }),
  /** The partner filter, as given (a partner id or a DID); absent for a full pack. */
  partner: z.string().optional(),
  jurisdictionProfile: jurisdictionProfileSchema,
  jurisdictionProfileDigest: digestSchema,
  auditLog: z.object({
    verified: z.boolean(),
    entries: z.number().int().min(0),
    checkpoints: z.number().int().min(0),
    signedThrough: z.number().int().min(0),
    head: z.object({ seq: z.number().int(), hash: z.string() }).nullable(),
    problems: z.array(z.object({ seq: z.number().int(), kind: z.string(), detail: z.string() })),
    /** Entries after this seq were not considered (appended while the pack was built). */
    coveredThroughSeq: z.number().int().min(0),
    checkpoint: packCheckpointSchema.nullable(),
  }),
  outbound: z.array(outboundRecordSchema),
  refusals: z.array(refusalRecordSchema),
  keyEvents: z.array(keyEventRecordSchema),
  /** Signed receipts in the period for transfers that left before it. */
  otherReceipts: z.array(transferReceiptSchema),
  anomalies: z.array(anomalySchema),
  counts: z.object({
    outbound: z.number().int(),
    refusals: z.number().int(),
    keyEvents: z.number().int(),
    receipts: z.number().int(),
    anomalies: z.number().int(),
  }),
});

export type EvidencePack = z.infer<typeof evidencePackSchema>;
export type OutboundRecord = z.infer<typeof outboundRecordSchema>;
export type RefusalRecord = z.infer<typeof refusalRecordSchema>;
export type KeyEventRecord = z.infer<typeof keyEventRecordSchema>;
export type Anomaly = z.infer<typeof anomalySchema>;
export type PackCheckpoint = z.infer<typeof packCheckpointSchema>;
