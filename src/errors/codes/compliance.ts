import type { ErrorSpec } from '../spec.js';

export const complianceCodes = {
  SOV_COMPLIANCE_PERIOD_INVALID: { status: 400, title: 'The evidence period or partner filter is invalid' },
  SOV_COMPLIANCE_PROFILE_MISSING: { status: 404, title: 'No jurisdiction profile is in force for this connector' },
  SOV_COMPLIANCE_PACK_INVALID: { status: 422, title: 'The evidence pack is not a valid signed ComplianceEvidenceCredential' },
  SOV_COMPLIANCE_CHECKPOINT_INVALID: { status: 422, title: 'The audit checkpoint in the evidence pack does not verify' },
  SOV_COMPLIANCE_RECEIPT_INVALID: { status: 422, title: 'The transfer receipt is malformed or its signature does not verify' },
} as const satisfies Record<string, ErrorSpec>;
