/**
 * `verifyEvidencePack`: what an auditor runs on a pack they were handed. The credential's
 * Data Integrity proof must verify against the connector's DID document (VC DM 2.0 §4.12),
 * the pack must match its schema and be about its issuer, and the audit checkpoint inside it
 * must carry a valid Ed25519 signature by one of the connector's assertion keys — so the
 * signed head hash can later be compared with the live log (`sovc audit verify`).
 * Returns `{ verified, errors }` like `@digitalbazaar/vc`.
 */
import { checkpointMessage } from '../audit/index.js';
import { fail, type Failure } from '../errors/index.js';
import { verifyCredential, type VerifierOptions } from '../identity/index.js';
import { decodeBase58btc, type VerifySignature } from '../kms/index.js';
import { assertionKey } from './assertion-key.js';
import { EVIDENCE_CREDENTIAL_TYPE } from './evidence-pack.js';
import { evidencePackSchema, type EvidencePack, type PackCheckpoint } from './evidence-pack-schema.js';

export interface VerifyEvidencePackOptions extends Pick<VerifierOptions, 'documentLoader' | 'clock' | 'isTrustedIssuer'> {
  verifySignature: VerifySignature;
}

export type EvidencePackVerification =
  | { verified: true; pack: EvidencePack; issuer: string; errors: [] }
  | { verified: false; errors: Failure[] };

function refused(failure: Failure): EvidencePackVerification {
  return { verified: false, errors: [failure] };
}

async function checkpointFailure(checkpoint: PackCheckpoint, issuer: string, options: VerifyEvidencePackOptions): Promise<Failure | undefined> {
  const key = await assertionKey(options.documentLoader, checkpoint.verificationMethod, issuer);
  if (!key.ok) return fail('SOV_COMPLIANCE_CHECKPOINT_INVALID', `the audit checkpoint's key: ${key.detail}`, { cause: key.code });
  if (checkpoint.verificationMethod !== `${issuer}#${checkpoint.keyId}`) {
    return fail('SOV_COMPLIANCE_CHECKPOINT_INVALID', `the checkpoint names key ${checkpoint.keyId} but points at ${checkpoint.verificationMethod}`);
  }
  const signature = decodeBase58btc(checkpoint.signature.slice(1));
  const message = checkpointMessage(checkpoint.seq, checkpoint.headHash, checkpoint.time);
  if (signature === undefined || !options.verifySignature(message, signature, key.value)) {
    return fail('SOV_COMPLIANCE_CHECKPOINT_INVALID', `the audit checkpoint at entry ${checkpoint.seq} has no valid signature by ${checkpoint.verificationMethod}`);
  }
  return undefined;
}

export async function verifyEvidencePack(credential: unknown, options: VerifyEvidencePackOptions): Promise<EvidencePackVerification> {
  const verified = await verifyCredential(credential, options);
  if (!verified.verified) return { verified: false, errors: verified.errors };
  const { issuer } = verified;
  if (![verified.credential.type].flat().includes(EVIDENCE_CREDENTIAL_TYPE)) {
    return refused(fail('SOV_COMPLIANCE_PACK_INVALID', `the credential is not a ${EVIDENCE_CREDENTIAL_TYPE}`));
  }
  const subject = [verified.credential.credentialSubject].flat()[0];
  const pack = evidencePackSchema.safeParse(subject?.['evidencePack']);
  if (!pack.success) {
    const issue = pack.error.issues[0];
    return refused(fail('SOV_COMPLIANCE_PACK_INVALID', `the evidence pack is malformed: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim()));
  }
  if (subject?.id !== issuer || pack.data.connector !== issuer) {
    return refused(fail('SOV_COMPLIANCE_PACK_INVALID', `the pack is about ${pack.data.connector} but was issued by ${issuer}`));
  }
  const { checkpoint, coveredThroughSeq } = pack.data.auditLog;
  if ((checkpoint?.seq ?? 0) !== coveredThroughSeq) {
    return refused(fail('SOV_COMPLIANCE_CHECKPOINT_INVALID', `the pack covers entries through ${coveredThroughSeq} but its checkpoint signs entry ${checkpoint?.seq ?? 0}`));
  }
  const checkpointProblem = checkpoint === null ? undefined : await checkpointFailure(checkpoint, issuer, options);
  if (checkpointProblem !== undefined) return refused(checkpointProblem);
  return { verified: true, pack: pack.data, issuer, errors: [] };
}
