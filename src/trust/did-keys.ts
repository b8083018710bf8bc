/**
 * Picks a verification key out of a resolved DID document, checking the verification
 * relationship it is listed under (DID Core §5.3): a token key must be under
 * `capabilityInvocation` (DCP §4.3.3), a credential key under `assertionMethod`.
 */
import { fail, ok, type Result } from '../errors/index.js';

export interface VerificationMethodLike {
  id: string;
  type?: string;
  controller?: string;
  publicKeyMultibase?: string;
}

export interface DidDocumentLike {
  id: string;
  verificationMethod?: VerificationMethodLike[];
  [relationship: string]: unknown;
}

export type Relationship = 'authentication' | 'assertionMethod' | 'capabilityInvocation' | 'keyAgreement';

function absolute(did: string, ref: string): string {
  return ref.startsWith('#') ? `${did}${ref}` : ref;
}

export function findKey(doc: DidDocumentLike, kid: string, relationship: Relationship): Result<VerificationMethodLike> {
  const listed = doc[relationship];
  const refs = Array.isArray(listed) ? listed : [];
  const allowed = refs.some((entry) => {
    const id = typeof entry === 'string' ? entry : (entry as VerificationMethodLike | undefined)?.id;
    return typeof id === 'string' && absolute(doc.id, id) === kid;
  });
  if (!allowed) {
    return fail('SOV_TRUST_KEY_NOT_AUTHORISED', `key ${kid} is not listed under ${relationship} in ${doc.id}`, { kid, relationship });
  }
  const embedded = refs.find((entry) => typeof entry === 'object' && entry !== null && absolute(doc.id, (entry as VerificationMethodLike).id) === kid);
  const method = (embedded as VerificationMethodLike | undefined) ?? doc.verificationMethod?.find((vm) => absolute(doc.id, vm.id) === kid);
  if (!method?.publicKeyMultibase) {
    return fail('SOV_TRUST_KEY_NOT_AUTHORISED', `key ${kid} has no publicKeyMultibase in ${doc.id}`, { kid });
  }
  return ok(method);
}
