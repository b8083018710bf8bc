/**
 * The consumer's signed receipt of a transfer (issue 5 "Cross-border receipts"): after it has
 * verified the container's digest, the consumer signs what it received, from whom and under
 * which agreement; the provider stores the receipt in its audit log so both sides hold
 * matching evidence. The proof is a W3C Data Integrity proof with the `eddsa-jcs-2022`
 * cryptosuite (VC DI EdDSA §3.3): JCS over the plain JSON receipt, so any implementation of
 * that suite can check it without our JSON-LD contexts.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../clock/index.js';
import { fail, ok, type Result } from '../errors/index.js';
import type { DocumentLoader } from '../identity/index.js';
import { decodeBase58btc, encodeBase58btc, type Kms, type VerifySignature } from '../kms/index.js';
import { assertionKey } from './assertion-key.js';
import { canonicalJsonText, digestSchema, jsonDigest } from './digest.js';

const did = z.string().regex(/^did:[a-z0-9]+:\S+$/, 'a DID');
const id = z.string().min(1).max(512);

export const receiptProofSchema = z.strictObject({
  type: z.literal('DataIntegrityProof'),
  cryptosuite: z.literal('eddsa-jcs-2022'),
  created: z.iso.datetime(),
  verificationMethod: z.string().startsWith('did:'),
  proofPurpose: z.literal('assertionMethod'),
  proofValue: z.string().regex(/^z[1-9A-HJ-NP-Za-km-z]+$/, 'a base58btc multibase value'),
});

const unsignedReceiptShape = {
  type: z.literal('TransferReceipt'),
  transferId: id,
  agreementId: id,
  providerDid: did,
  consumerDid: did,
  /** The digest of the container as received and verified (docs/format.md). */
  containerDigest: digestSchema,
  receivedAt: z.iso.datetime(),
};

export const transferReceiptSchema = z.strictObject({ ...unsignedReceiptShape, proof: receiptProofSchema });

export type TransferReceipt = z.infer<typeof transferReceiptSchema>;
export type UnsignedTransferReceipt = Omit<TransferReceipt, 'proof' | 'type'>;
type ReceiptProof = TransferReceipt['proof'];

/** VC DI EdDSA §3.3.4 hashing: SHA-256(JCS(proof config)) ‖ SHA-256(JCS(document)). */
function hashData(document: Record<string, unknown>, proofConfig: Omit<ReceiptProof, 'proofValue'>): Uint8Array {
  const sha = (value: unknown) => createHash('sha256').update(canonicalJsonText(value)).digest();
  return new Uint8Array(Buffer.concat([sha(proofConfig), sha(document)]));
}

export interface SignReceiptOptions {
  receipt: UnsignedTransferReceipt;
  /** The consumer's kms: the receipt is signed with its active key. */
  kms: Pick<Kms, 'sign' | 'activeSigningKey'>;
  clock: Clock;
}

/** Signs a receipt as its consumer (`receipt.consumerDid` must be the DID of `kms`'s keys). */
export async function signTransferReceipt(options: SignReceiptOptions): Promise<TransferReceipt> {
  const document = z.strictObject(unsignedReceiptShape).parse({ type: 'TransferReceipt', ...options.receipt });
  const keyId = options.kms.activeSigningKey().keyId;
  const proofConfig = {
    type: 'DataIntegrityProof' as const,
    cryptosuite: 'eddsa-jcs-2022' as const,
    created: new Date(options.clock.now()).toISOString(),
    verificationMethod: `${document.consumerDid}#${keyId}`,
    proofPurpose: 'assertionMethod' as const,
  };
  const { signature } = await options.kms.sign(hashData(document, proofConfig), keyId);
  return { ...document, proof: { ...proofConfig, proofValue: `z${encodeBase58btc(signature)}` } };
}

export interface VerifyReceiptOptions {
  documentLoader: DocumentLoader;
  verifySignature: VerifySignature;
}

/** Checks the receipt's shape and that its consumer signed it with an assertion key. */
export async function verifyTransferReceipt(receipt: unknown, options: VerifyReceiptOptions): Promise<Result<TransferReceipt>> {
  const parsed = transferReceiptSchema.safeParse(receipt);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail('SOV_COMPLIANCE_RECEIPT_INVALID', `malformed transfer receipt: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim());
  }
  const { proof, ...document } = parsed.data;
  const key = await assertionKey(options.documentLoader, proof.verificationMethod, document.consumerDid);
  if (!key.ok) return fail('SOV_COMPLIANCE_RECEIPT_INVALID', `transfer receipt ${document.transferId}: ${key.detail}`, { cause: key.code });
  const { proofValue, ...proofConfig } = proof;
  const signature = decodeBase58btc(proofValue.slice(1));
  if (signature === undefined || !options.verifySignature(hashData(document, proofConfig), signature, key.value)) {
    return fail('SOV_COMPLIANCE_RECEIPT_INVALID', `transfer receipt ${document.transferId}: the signature by ${proof.verificationMethod} does not verify`);
  }
  return ok(parsed.data);
}

/** The digest the provider records for a receipt (and the pack lists). */
export function receiptDigest(receipt: TransferReceipt): string {
  return jsonDigest(receipt);
}
