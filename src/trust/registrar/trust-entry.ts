/**
 * The trust-list entry partners put in their own lists for a registrar (identity.md §7.1):
 * its DID, the keys it signs membership credentials with — pinned, so a hijacked web host
 * cannot mint members — and the credential type accepted from it.
 */
import { MEMBERSHIP_CREDENTIAL_TYPE } from '../membership.js';
import type { Registrar } from './registrar.js';

export interface RegistrarTrustEntry {
  did: string;
  label?: string;
  keys: string[];
  credentialTypes: string[];
}

export function registrarTrustEntry(registrar: Pick<Registrar, 'did' | 'didDocument'>, label?: string): RegistrarTrustEntry {
  const doc = registrar.didDocument();
  const assertion = new Set(doc.assertionMethod?.map((ref) => (typeof ref === 'string' ? ref : ref.id)));
  const keys = (doc.verificationMethod ?? []).filter((vm) => assertion.has(vm.id)).flatMap((vm) => (vm.publicKeyMultibase === undefined ? [] : [vm.publicKeyMultibase]));
  return { did: registrar.did, ...(label === undefined ? {} : { label }), keys, credentialTypes: [MEMBERSHIP_CREDENTIAL_TYPE] };
}
