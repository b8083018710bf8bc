/**
 * Compliance evidence (issue 5): the evidence contract producers write to the audit log
 * (`outboundTransferEntry`, `policyRefusalEntry`, `transferReceiptEntry`, with the consumer's
 * `TransferReceipt` signed `eddsa-jcs-2022`), and the evidence pack an auditor receives:
 * `buildEvidencePack` reads a period of the log up to a freshly signed checkpoint — every
 * dataset that left the nation with its agreement, classification, decision, anonymisation
 * report and receipt, every refusal with its reasons, key events, the jurisdiction profile in
 * force and the chain's verification — and issues it as a `ComplianceEvidenceCredential`
 * (VC 2.0, eddsa-rdfc-2022); `verifyEvidencePack` checks the credential and the embedded
 * checkpoint signature; `renderEvidencePackHtml` is the readable version. See docs/compliance.md.
 */
export {
  outboundTransferEntry,
  policyRefusalEntry,
  transferReceiptEntry,
  outboundTransferDetailsSchema,
  refusalDetailsSchema,
  receiptDetailsSchema,
  classificationSchema,
  type OutboundTransferDetails,
  type OutboundTransferInput,
  type RefusalDetails,
  type PolicyRefusalInput,
  type ReceiptDetails,
} from './evidence-events.js';
export {
  signTransferReceipt,
  verifyTransferReceipt,
  receiptDigest,
  transferReceiptSchema,
  type TransferReceipt,
  type UnsignedTransferReceipt,
  type SignReceiptOptions,
  type VerifyReceiptOptions,
} from './transfer-receipt.js';
export { jsonDigest } from './digest.js';
export {
  buildEvidencePack,
  COMPLIANCE_CONTEXT_V1,
  EVIDENCE_CREDENTIAL_TYPE,
  type BuildEvidencePackOptions,
  type EvidenceAuditLog,
  type EvidencePackResult,
} from './evidence-pack.js';
export {
  evidencePackSchema,
  EVIDENCE_PACK_VERSION,
  type EvidencePack,
  type OutboundRecord,
  type RefusalRecord,
  type KeyEventRecord,
  type Anomaly,
  type PackCheckpoint,
} from './evidence-pack-schema.js';
export { verifyEvidencePack, type VerifyEvidencePackOptions, type EvidencePackVerification } from './verify-pack.js';
export { renderEvidencePackHtml, escapeHtml } from './render-html.js';
