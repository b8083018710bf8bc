/**
 * The negotiation's `AgreementSigner` over kms (issue 6: "a signature by each side's kms key
 * over its canonical form"). The signed bytes are a domain tag and the RFC 8785 (JCS) form of
 * the agreement together with the proof's own options (signer key, time), so neither the terms
 * nor the claimed signer can be swapped. The counterparty's proof is checked with the key its
 * DID document lists under `assertionMethod` (DID Core §5.3.2: keys for statements the
 * controller makes); a retired key still listed there keeps verifying old agreements.
 */
import canonicalizeModule from 'canonicalize';
import { z } from 'zod';
import { isoTime, type Clock } from '../clock/index.js';
import type { OdrlAgreement } from '../dsp/index.js';
import type { Result } from '../errors/index.js';
import type { DidDocument } from '../identity/index.js';
import { findVerificationMethod } from '../identity/index.js';
import { decodeMultikey, type Kms, type VerifySignature } from '../kms/index.js';
import type { AgreementProof, AgreementSigner } from '../negotiation/index.js';

// CommonJS package whose typings declare an ES default export (see src/dataplane/envelope/schema.ts).
const canonicalize = canonicalizeModule as unknown as (input: unknown) => string;

export const AGREEMENT_PROOF_TYPE = 'SovAgreementSignature';
const SIGNING_TAG = 'sov-agreement-signature/1\n';

const proofSchema = z.strictObject({
  type: z.literal(AGREEMENT_PROOF_TYPE),
  algorithm: z.literal('Ed25519'),
  canonicalization: z.literal('JCS'),
  verificationMethod: z.string().regex(/^did:[a-z0-9]+:[^#\s]+#[^#\s]+$/, 'a DID URL with a key fragment'),
  created: z.iso.datetime({ offset: true }),
  signatureValue: z.string().regex(/^[A-Za-z0-9_-]{86}$/, '64 bytes, base64url'),
});

type ProofOptions = Omit<z.infer<typeof proofSchema>, 'signatureValue'>;

export interface AgreementSignerOptions {
  kms: Pick<Kms, 'sign' | 'activeSigningKey'>;
  verifySignature: VerifySignature;
  /** This connector's DID: proofs name `<did>#<keyId>`. */
  did: string;
  /** Resolves a counterparty DID to its validated DID document (e.g. identity's `resolveDidDocument`). */
  resolveDid: (did: string) => Promise<Result<DidDocument>>;
  clock: Clock;
}

function signingInput(agreement: OdrlAgreement, options: ProofOptions): Uint8Array {
  return new TextEncoder().encode(SIGNING_TAG + canonicalize({ agreement, proof: options }));
}

export function createAgreementSigner(options: AgreementSignerOptions): AgreementSigner {
  return {
    async sign(agreement) {
      // The proof names the key and is itself signed, so the key is chosen first and passed to kms.
      const { keyId } = options.kms.activeSigningKey();
      const proofOptions: ProofOptions = {
        type: AGREEMENT_PROOF_TYPE,
        algorithm: 'Ed25519',
        canonicalization: 'JCS',
        verificationMethod: `${options.did}#${keyId}`,
        created: isoTime(options.clock),
      };
      const { signature } = await options.kms.sign(signingInput(agreement, proofOptions), keyId);
      return { ...proofOptions, signatureValue: Buffer.from(signature).toString('base64url') } satisfies AgreementProof;
    },
    async verify(agreement, proof, signerDid) {
      const parsed = proofSchema.safeParse(proof);
      if (!parsed.success) return refused(...parsed.error.issues.map((issue) => `proof ${issue.path.join('.') || ''}: ${issue.message}`.trim()));
      const { signatureValue, ...proofOptions } = parsed.data;
      const keyOwner = proofOptions.verificationMethod.slice(0, proofOptions.verificationMethod.indexOf('#'));
      if (keyOwner !== signerDid) return refused(`signed with a key of ${keyOwner}, expected ${signerDid}`);
      const key = await assertionKey(options, signerDid, proofOptions.verificationMethod);
      if (!key.ok) return refused(key.detail);
      const signature = Buffer.from(signatureValue, 'base64url');
      if (!options.verifySignature(signingInput(agreement, proofOptions), signature, key.value)) {
        return refused('the signature does not verify: the agreement or its proof was altered, or another key signed it');
      }
      return { verified: true, errors: [] };
    },
  };
}

async function assertionKey(options: AgreementSignerOptions, did: string, methodId: string): Promise<{ ok: true; value: Uint8Array } | { ok: false; detail: string }> {
  const document = await options.resolveDid(did);
  if (!document.ok) return { ok: false, detail: `cannot resolve ${did}: ${document.detail}` };
  const fragment = methodId.slice(methodId.indexOf('#'));
  const listed = (document.value.assertionMethod ?? []).some((entry) => {
    const id = typeof entry === 'string' ? entry : entry.id;
    return id === methodId || id === fragment;
  });
  if (!listed) return { ok: false, detail: `${methodId} is not an assertion key of ${did}` };
  const method = findVerificationMethod(document.value, methodId);
  const decoded = method?.publicKeyMultibase === undefined ? undefined : decodeMultikey(method.publicKeyMultibase);
  if (decoded === undefined || !decoded.ok || decoded.value.type !== 'Ed25519') return { ok: false, detail: `${methodId} is not an Ed25519 Multikey` };
  return { ok: true, value: decoded.value.publicKey };
}

function refused(...errors: string[]): { verified: false; errors: string[] } {
  return { verified: false, errors };
}
