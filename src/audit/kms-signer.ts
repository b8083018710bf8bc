/**
 * The checkpoint signer backed by kms (design.md "Key custody"): signs with the active
 * Ed25519 key; verifies with whichever key the checkpoint names, found among all keys kms
 * lists — retired and destroyed keys keep their public half, so checkpoints signed before a
 * rotation or destruction still verify.
 */
import { decodeMultikey, type Kms, type VerifySignature } from '../kms/index.js';
import type { AuditSigner } from './ports.js';

export function kmsAuditSigner(kms: Kms, verifySignature: VerifySignature): AuditSigner {
  return {
    sign: (message) => kms.sign(message),
    verify: async (message, signature, keyId) => {
      const key = kms.listKeys().find((info) => info.keyId === keyId && info.kind === 'signing');
      if (key?.publicKeyMultibase === undefined) return false;
      const decoded = decodeMultikey(key.publicKeyMultibase);
      return decoded.ok && decoded.value.type === 'Ed25519' && verifySignature(message, signature, decoded.value.publicKey);
    },
  };
}
