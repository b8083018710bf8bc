/**
 * Data Integrity `eddsa-rdfc-2022` suites (identity.md §2) with the signing key held by kms:
 * the signer hands the canonicalised bytes to `kms.sign` and never sees a private key.
 */
import { DataIntegrityProof, type Signer } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import type { Clock } from '../clock/index.js';
import type { Kms } from '../kms/ports.js';

export type ProofSigner = Signer;

export interface KmsSignerOptions {
  kms: Pick<Kms, 'sign' | 'activeSigningKey'>;
  /** The DID whose document lists the key (the issuer or holder). */
  did: string;
  /** Default: the active signing key at the time the signer is created. */
  keyId?: string;
}

/**
 * A signer bound to one key: the verification method id is fixed when the signer is made and
 * `sign` names that key, so a rotation between the two cannot produce a proof whose
 * `verificationMethod` points at a different key than the one that signed.
 */
export function createKmsSigner(options: KmsSignerOptions): ProofSigner {
  const keyId = options.keyId ?? options.kms.activeSigningKey().keyId;
  return {
    id: `${options.did}#${keyId}`,
    algorithm: 'Ed25519',
    sign: async ({ data }) => (await options.kms.sign(data, keyId)).signature,
  };
}

/** A suite that signs with `signer`, stamping `created` from the injected clock. */
export function signingSuite(signer: ProofSigner, clock: Clock): DataIntegrityProof {
  return new DataIntegrityProof({ signer, cryptosuite: eddsaRdfc2022, date: new Date(clock.now()) });
}

/** A verify-only suite: keys come from the DID documents through the document loader. */
export function verifyingSuite(): DataIntegrityProof {
  return new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 });
}
