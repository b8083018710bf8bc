/**
 * Issuing a key envelope (docs/format.md §7): the provider's kms seals the dataset's data key
 * to the recipient's X25519 keyAgreement key and signs the envelope; the clear key never
 * leaves kms. One envelope per transfer (or per one-time release); the ciphertext is reused.
 */
import type { Clock } from '../../clock/index.js';
import { ok, type Result } from '../../errors/index.js';
import type { Kms } from '../../kms/ports.js';
import { envelopeSigningInput, keyEnvelopeSchema, type KeyEnvelope, type UnsignedKeyEnvelope } from './schema.js';

export interface EnvelopeRecipient {
  did: string;
  /** DID URL of the recipient's keyAgreement key, e.g. `did:web:ca.example#enc-1`. */
  keyId: string;
  /** Its raw 32-byte X25519 public key. */
  publicKey: Uint8Array;
}

export interface IssueEnvelopeOptions {
  kms: Pick<Kms, 'sealDataKeyTo' | 'sign' | 'activeSigningKey'>;
  clock: Clock;
  issuerDid: string;
  dataKeyId: string;
  recipient: EnvelopeRecipient;
  transferId: string;
  agreementId: string;
  datasetId: string;
  /** The container digest (BLAKE2b-256, 32 bytes) the key opens. */
  containerDigest: Uint8Array;
  /** `handover`: the recipient's kms keeps the key; `one-time`: owner-held, a single use. */
  release: KeyEnvelope['release'];
  ttlMs: number;
}

export async function issueKeyEnvelope(opts: IssueEnvelopeOptions): Promise<Result<KeyEnvelope>> {
  const sealed = await opts.kms.sealDataKeyTo(opts.dataKeyId, opts.recipient.publicKey);
  if (!sealed.ok) return sealed;
  const signingKeyId = opts.kms.activeSigningKey().keyId;
  const now = opts.clock.now();
  const unsigned: UnsignedKeyEnvelope = {
    type: 'SovKeyEnvelope',
    version: 1,
    transferId: opts.transferId,
    agreementId: opts.agreementId,
    datasetId: opts.datasetId,
    containerDigest: Buffer.from(opts.containerDigest).toString('base64url'),
    recipient: opts.recipient.did,
    recipientKeyId: opts.recipient.keyId,
    release: opts.release,
    sealedKey: Buffer.from(sealed.value).toString('base64url'),
    issuer: opts.issuerDid,
    issuerKeyId: `${opts.issuerDid}#${signingKeyId}`,
    issuedAt: new Date(now).toISOString(),
    expiresAt: new Date(now + opts.ttlMs).toISOString(),
  };
  const signed = await opts.kms.sign(envelopeSigningInput(unsigned), signingKeyId);
  // Parsing our own output turns a caller's malformed DID or digest into an immediate bug report.
  return ok(keyEnvelopeSchema.parse({ ...unsigned, signature: Buffer.from(signed.signature).toString('base64url') }));
}
