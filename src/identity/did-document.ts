/**
 * The connector's DID document (identity.md §3, DID Core §5) and the schema every resolved DID
 * document must satisfy before any of its keys is used. Keys are Multikey verification
 * methods (Controlled Identifiers §2.2.2) whose fragments are the kms key ids (`#sig-1`).
 */
import { z } from 'zod';
import type { PublicKey } from '../kms/ports.js';

export const DID_CONTEXT_V1 = 'https://www.w3.org/ns/did/v1';
export const MULTIKEY_CONTEXT_V1 = 'https://w3id.org/security/multikey/v1';

const verificationMethodSchema = z.looseObject({
  id: z.string().min(1),
  type: z.string().min(1),
  controller: z.string().min(1),
  publicKeyMultibase: z.string().min(1).optional(),
});

const relationshipSchema = z.array(z.union([z.string().min(1), verificationMethodSchema])).optional();

export const didDocumentSchema = z.looseObject({
  '@context': z.union([z.string(), z.array(z.unknown())]).optional(),
  id: z.string().startsWith('did:'),
  controller: z.union([z.string(), z.array(z.string())]).optional(),
  verificationMethod: z.array(verificationMethodSchema).optional(),
  authentication: relationshipSchema,
  assertionMethod: relationshipSchema,
  capabilityInvocation: relationshipSchema,
  capabilityDelegation: relationshipSchema,
  keyAgreement: relationshipSchema,
  service: z
    .array(z.looseObject({ id: z.string().min(1), type: z.union([z.string(), z.array(z.string())]), serviceEndpoint: z.unknown() }))
    .optional(),
});

export type DidDocument = z.infer<typeof didDocumentSchema>;
export type VerificationMethod = z.infer<typeof verificationMethodSchema>;

export interface DidDocumentInput {
  did: string;
  /** Active signing key first; retired keys after it still verify what they signed earlier. */
  signingKeys: PublicKey[];
  /** Active X25519 key first (end-to-end encryption to this connector). */
  agreementKeys: PublicKey[];
  /** DSP 2025-1 discovery endpoint (`…/.well-known/dspace-version`). */
  dspEndpoint: string;
  /** DCP credential service base URL (`…/cs`). */
  credentialEndpoint: string;
}

function multikeyMethod(did: string, key: PublicKey): VerificationMethod {
  return { id: `${did}#${key.keyId}`, type: 'Multikey', controller: did, publicKeyMultibase: key.publicKeyMultibase };
}

/**
 * Builds the DID document. Every signing key stays in `assertionMethod` so credentials signed
 * before a rotation keep verifying; only the active key may authenticate or invoke
 * (`capabilityInvocation` is where DCP takes the token key, identity.md §6), so a retired key
 * cannot mint fresh tokens or presentations.
 */
export function buildDidDocument(input: DidDocumentInput): DidDocument {
  const { did, signingKeys, agreementKeys } = input;
  const [active] = signingKeys;
  const [activeAgreement] = agreementKeys;
  if (active === undefined || activeAgreement === undefined) {
    throw new Error('buildDidDocument needs at least one signing key and one agreement key');
  }
  const signingIds = signingKeys.map((k) => `${did}#${k.keyId}`);
  return {
    '@context': [DID_CONTEXT_V1, MULTIKEY_CONTEXT_V1],
    id: did,
    verificationMethod: [...signingKeys, ...agreementKeys].map((k) => multikeyMethod(did, k)),
    authentication: [`${did}#${active.keyId}`],
    assertionMethod: signingIds,
    capabilityInvocation: [`${did}#${active.keyId}`],
    keyAgreement: [`${did}#${activeAgreement.keyId}`],
    service: [
      { id: `${did}#dsp`, type: 'DataService', serviceEndpoint: input.dspEndpoint },
      { id: `${did}#cs`, type: 'CredentialService', serviceEndpoint: input.credentialEndpoint },
    ],
  };
}

/** The verification method `didUrl` (`did#frag`) if the document defines it, embedded or listed. */
export function findVerificationMethod(document: DidDocument, didUrl: string): VerificationMethod | undefined {
  const fragment = didUrl.slice(didUrl.indexOf('#'));
  const matches = (id: string): boolean => id === didUrl || id === fragment;
  const embedded = [document.authentication, document.assertionMethod, document.capabilityInvocation, document.keyAgreement]
    .flatMap((list) => list ?? [])
    .filter((entry): entry is VerificationMethod => typeof entry === 'object');
  const method = [...(document.verificationMethod ?? []), ...embedded].find((vm) => matches(vm.id));
  return method === undefined ? undefined : { ...method, id: didUrl };
}

/** The endpoint of the first service of `type` (e.g. `CredentialService`). */
export function serviceEndpoint(document: DidDocument, type: string): string | undefined {
  const service = document.service?.find((s) => (Array.isArray(s.type) ? s.type.includes(type) : s.type === type));
  return typeof service?.serviceEndpoint === 'string' ? service.serviceEndpoint : undefined;
}
