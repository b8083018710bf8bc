/**
 * `buildEvidencePack` (issue 5 "Compliance evidence"): signs the audit head, verifies the
 * whole chain, reads the period's evidence up to that signed head, and issues the pack as a
 * `ComplianceEvidenceCredential` (VC Data Model 2.0, eddsa-rdfc-2022) from the connector.
 * The pack carries the signed checkpoint itself, so an auditor holds a copy of the log's
 * signed head outside the connector's database. Producing a pack is itself recorded
 * (`compliance.report`, with the credential's digest).
 */
import type { AuditCheckpoint, AuditLog } from '../audit/index.js';
import { isoTime, type Clock } from '../clock/index.js';
import { fail, ok, type Result } from '../errors/index.js';
import { VC_V2_CONTEXT, type ConnectorIdentity, type VerifiableCredential } from '../identity/index.js';
import { encodeBase58btc } from '../kms/index.js';
import type { JurisdictionProfile } from '../policy/index.js';
import { collectEvidence, evidenceEntries } from './collect-evidence.js';
import { jsonDigest } from './digest.js';
import { EVIDENCE_PACK_VERSION, type EvidencePack, type PackCheckpoint } from './evidence-pack-schema.js';

export const COMPLIANCE_CONTEXT_V1 = 'https://w3id.org/sovereign-connector/compliance/v1';
export const EVIDENCE_CREDENTIAL_TYPE = 'ComplianceEvidenceCredential';

export type EvidenceAuditLog = Pick<AuditLog<unknown>, 'search' | 'verify' | 'checkpoint' | 'record'>;

export interface BuildEvidencePackOptions {
  audit: EvidenceAuditLog;
  identity: Pick<ConnectorIdentity, 'did' | 'issue'>;
  /** The connector's own jurisdiction profile, in force when the pack is made. */
  profile: JurisdictionProfile;
  /** ISO date or date-time: entries at or after it. */
  since: string;
  /** Only transfers and refusals to or from this partner id (`ca`) or DID. */
  partner?: string;
  clock: Clock;
}

export interface EvidencePackResult {
  credential: VerifiableCredential;
  pack: EvidencePack;
}

const instant = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

function validPeriod(options: BuildEvidencePackOptions): Result<string> {
  const since = Date.parse(options.since);
  if (!instant.test(options.since) || Number.isNaN(since)) {
    return fail('SOV_COMPLIANCE_PERIOD_INVALID', `--since must be an ISO date or date-time with a zone, got ${options.since}`);
  }
  if (since > options.clock.now()) return fail('SOV_COMPLIANCE_PERIOD_INVALID', `--since ${options.since} is in the future`);
  const partner = options.partner;
  if (partner !== undefined && !/^([a-z]{2,8}(\/[a-z]{2,8})?|did:[a-z0-9]+:\S+)$/.test(partner)) {
    return fail('SOV_COMPLIANCE_PERIOD_INVALID', `--partner must be a partner id (ca, eu/de) or a DID, got ${partner}`);
  }
  return ok(new Date(since).toISOString());
}

function packCheckpoint(checkpoint: AuditCheckpoint, did: string): PackCheckpoint {
  const { seq, headHash, time, keyId } = checkpoint;
  return { seq, headHash, time, keyId, verificationMethod: `${did}#${keyId}`, signature: `z${encodeBase58btc(checkpoint.signature)}` };
}

async function assemblePack(options: BuildEvidencePackOptions, since: string): Promise<Result<EvidencePack>> {
  const { audit, identity, profile } = options;
  // Sign the head first and read only up to it: everything in the pack is under a signature the pack carries.
  const checkpoint = await audit.checkpoint();
  const verification = await audit.verify();
  const coveredThroughSeq = checkpoint?.seq ?? 0;
  const entries = await evidenceEntries(audit.search, since, coveredThroughSeq);
  if (!entries.ok) return entries;
  const evidence = collectEvidence(entries.value, options.partner);
  const receipts = evidence.outbound.filter((t) => t.receipt !== undefined).length + evidence.otherReceipts.length;
  const { $schema: _schema, ...profileInForce } = profile;
  return ok({
    packVersion: EVIDENCE_PACK_VERSION,
    connector: identity.did,
    generatedAt: isoTime(options.clock),
    period: { since, until: isoTime(options.clock) },
    ...(options.partner === undefined ? {} : { partner: options.partner }),
    jurisdictionProfile: profileInForce,
    jurisdictionProfileDigest: jsonDigest(profileInForce),
    auditLog: {
      verified: verification.verified,
      entries: verification.entries,
      checkpoints: verification.checkpoints,
      signedThrough: verification.signedThrough,
      head: verification.head ?? null,
      problems: verification.problems,
      coveredThroughSeq,
      checkpoint: checkpoint === undefined ? null : packCheckpoint(checkpoint, identity.did),
    },
    ...evidence,
    counts: {
      outbound: evidence.outbound.length,
      refusals: evidence.refusals.length,
      keyEvents: evidence.keyEvents.length,
      receipts,
      anomalies: evidence.anomalies.length,
    },
  });
}

/** Builds, signs and records an evidence pack for the period from `since` to now. */
export async function buildEvidencePack(options: BuildEvidencePackOptions): Promise<Result<EvidencePackResult>> {
  const since = validPeriod(options);
  if (!since.ok) return since;
  const pack = await assemblePack(options, since.value);
  if (!pack.ok) return pack;
  const credential = await options.identity.issue({
    '@context': [VC_V2_CONTEXT, COMPLIANCE_CONTEXT_V1],
    type: ['VerifiableCredential', EVIDENCE_CREDENTIAL_TYPE],
    issuer: options.identity.did,
    validFrom: pack.value.generatedAt,
    credentialSubject: { id: options.identity.did, type: 'ComplianceEvidencePack', evidencePackVersion: EVIDENCE_PACK_VERSION, evidencePack: pack.value },
  });
  if (!credential.ok) return credential;
  await options.audit.record({
    actor: options.identity.did,
    type: 'compliance.report',
    subjects: [],
    digest: jsonDigest(credential.value),
    details: { since: since.value, ...(options.partner === undefined ? {} : { partner: options.partner }), coveredThroughSeq: pack.value.auditLog.coveredThroughSeq, counts: pack.value.counts },
  });
  return ok({ credential: credential.value, pack: pack.value });
}
