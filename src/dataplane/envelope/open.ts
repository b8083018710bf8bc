/**
 * Opening a key envelope on the recipient's side (docs/format.md §7.3). Refuses, with a code
 * naming the failed check, an envelope that is malformed, not signed by the expected issuer
 * key, addressed to another recipient, bound to another transfer, agreement, dataset or
 * container, or expired. Then, per the issuer's choice of release: `handover` imports the data
 * key into our kms (kept wrapped); `one-time` lends it to a single call and never stores it.
 */
import type { Clock } from '../../clock/index.js';
import { fail, ok, type Result } from '../../errors/index.js';
import type { KeyInfo, Kms } from '../../kms/ports.js';
import type { DataKeyLender } from '../container/reader.js';
import type { BulkCrypto } from '../ports.js';
import { envelopeSigningInput, keyEnvelopeSchema, type KeyEnvelope } from './schema.js';

export interface EnvelopeExpectation {
  transferId: string;
  agreementId: string;
  recipientDid: string;
  issuerDid?: string;
  datasetId?: string;
  containerDigest?: Uint8Array;
}

export interface OpenEnvelopeOptions {
  kms: Pick<Kms, 'importSealedDataKey' | 'withSealedKey'>;
  crypto: BulkCrypto;
  clock: Clock;
  /** Raw Ed25519 key of the issuer, resolved from its DID document by the caller. */
  issuerPublicKey: Uint8Array;
  expected: EnvelopeExpectation;
  /** kms label for an imported (handover) key; default `dataset:<datasetId>`. */
  label?: string;
}

export type OpenedEnvelope =
  | { release: 'handover'; envelope: KeyEnvelope; dataKey: KeyInfo }
  | { release: 'one-time'; envelope: KeyEnvelope; dek: DataKeyLender };

export async function openKeyEnvelope(input: unknown, opts: OpenEnvelopeOptions): Promise<Result<OpenedEnvelope>> {
  const parsed = keyEnvelopeSchema.safeParse(input);
  if (!parsed.success) {
    return fail('SOV_DATAPLANE_ENVELOPE_MALFORMED', `the key envelope is malformed: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const envelope = parsed.data;
  const checked = checkEnvelope(envelope, opts);
  if (!checked.ok) return checked;
  const sealed = Buffer.from(envelope.sealedKey, 'base64url');
  if (envelope.release === 'one-time') return ok({ release: 'one-time', envelope, dek: lendOnce(opts.kms, sealed) });
  const imported = await opts.kms.importSealedDataKey(sealed, { label: opts.label ?? `dataset:${envelope.datasetId}` });
  return imported.ok ? ok({ release: 'handover', envelope, dataKey: imported.value }) : imported;
}

function checkEnvelope(envelope: KeyEnvelope, opts: OpenEnvelopeOptions): Result<true> {
  const expected = opts.expected;
  if (expected.issuerDid !== undefined && envelope.issuer !== expected.issuerDid) {
    return fail('SOV_DATAPLANE_ENVELOPE_WRONG_ISSUER', `the envelope was issued by ${envelope.issuer}, expected ${expected.issuerDid}`);
  }
  const signature = Buffer.from(envelope.signature, 'base64url');
  if (!opts.crypto.verifyDetached(signature, envelopeSigningInput(envelope), opts.issuerPublicKey)) {
    return fail('SOV_DATAPLANE_ENVELOPE_SIGNATURE_INVALID', `the envelope signature does not verify under the key expected for ${envelope.issuerKeyId}`);
  }
  if (envelope.recipient !== expected.recipientDid) {
    return fail('SOV_DATAPLANE_ENVELOPE_WRONG_RECIPIENT', `the envelope is addressed to ${envelope.recipient}, not ${expected.recipientDid}`);
  }
  if (envelope.transferId !== expected.transferId) {
    return fail('SOV_DATAPLANE_ENVELOPE_WRONG_TRANSFER', `the envelope is bound to transfer ${envelope.transferId}, not ${expected.transferId}`);
  }
  if (envelope.agreementId !== expected.agreementId) {
    return fail('SOV_DATAPLANE_ENVELOPE_WRONG_AGREEMENT', `the envelope is bound to agreement ${envelope.agreementId}, not ${expected.agreementId}`);
  }
  const digest = expected.containerDigest && Buffer.from(expected.containerDigest).toString('base64url');
  if ((expected.datasetId !== undefined && envelope.datasetId !== expected.datasetId) || (digest !== undefined && envelope.containerDigest !== digest)) {
    return fail('SOV_DATAPLANE_ENVELOPE_WRONG_CONTAINER', `the envelope opens dataset ${envelope.datasetId} container ${envelope.containerDigest}, not the one expected`);
  }
  if (Date.parse(envelope.expiresAt) <= opts.clock.now()) {
    return fail('SOV_DATAPLANE_ENVELOPE_EXPIRED', `the envelope expired at ${envelope.expiresAt}`);
  }
  return ok(true);
}

/** Owner-held release: the key is opened inside kms for one call, then the lender is spent. */
function lendOnce(kms: Pick<Kms, 'withSealedKey'>, sealed: Uint8Array): DataKeyLender {
  let spent = false;
  return async (use) => {
    if (spent) return fail('SOV_DATAPLANE_KEY_RELEASE_SPENT', 'this one-time key release was already used');
    spent = true;
    return kms.withSealedKey(sealed, use);
  };
}
