/**
 * This connector's own trust list (design.md "Trust model"; identity.md §7.1): the registrars
 * whose credentials it accepts, each with the credential types it accepts from it and the
 * Ed25519 keys (`z6Mk…`) pinned for it out of band. A did:web document is only as safe as the
 * web host serving it, so a key a registrar's document lists but this list does not pin is
 * refused: a hijacked host cannot mint members. `pinnedDidResolver` enforces the same pinning
 * for everything else signed by a registrar (its status lists), by hiding unpinned keys.
 */
import type { DIDResolutionResult, Resolvable } from 'did-resolver';
import { fail, ok, type Result } from '../errors/index.js';
import { resolveDidDocument } from '../identity/index.js';
import { findKey, type DidDocumentLike, type VerificationMethodLike } from './did-keys.js';

export interface TrustedRegistrar {
  did: string;
  /** Pinned Ed25519 Multikeys the registrar signs with. */
  keys: readonly string[];
  /** Credential types accepted from it, e.g. `FederationMembershipCredential`. */
  credentialTypes: readonly string[];
  label?: string;
}

/** The parts of a credential the issuer check reads. */
export interface IssuedCredentialLike {
  issuer: string | { id: string };
  type: string | string[];
  proof: { verificationMethod: string } | Array<{ verificationMethod: string }>;
}

export interface TrustList {
  readonly entries: readonly TrustedRegistrar[];
  /**
   * Plugs into identity's `isTrustedIssuer`: the issuer is listed for one of the types and,
   * when the proof's verification method is given, its key is pinned.
   */
  isTrustedIssuer(issuer: string, credentialTypes: string[], verificationMethod?: string): Promise<boolean>;
  /** The same decision with the reason: SOV_TRUST_ISSUER_NOT_TRUSTED or SOV_TRUST_ISSUER_KEY_NOT_PINNED. */
  checkIssuer(credential: IssuedCredentialLike): Promise<Result<TrustedRegistrar>>;
}

export interface TrustListOptions {
  entries: readonly TrustedRegistrar[];
  /** Resolves registrar DIDs; share the connector's (cached) resolver. */
  didResolver: Resolvable;
}

const issuerOf = (c: IssuedCredentialLike): string => (typeof c.issuer === 'string' ? c.issuer : c.issuer.id);

function acceptedType(entry: TrustedRegistrar, types: readonly string[]): boolean {
  return types.some((t) => t !== 'VerifiableCredential' && entry.credentialTypes.includes(t));
}

export function createTrustList(options: TrustListOptions): TrustList {
  const byDid = new Map(options.entries.map((entry) => [entry.did, entry]));

  async function checkKey(entry: TrustedRegistrar, verificationMethod: string): Promise<Result<void>> {
    const doc = await resolveDidDocument(options.didResolver, entry.did);
    if (!doc.ok) return doc;
    const method = findKey(doc.value as DidDocumentLike, verificationMethod, 'assertionMethod');
    if (method.ok && entry.keys.includes(method.value.publicKeyMultibase ?? '')) return ok(undefined);
    return fail('SOV_TRUST_ISSUER_KEY_NOT_PINNED', `registrar ${entry.did} signed with ${verificationMethod}, which is not one of the keys this connector pinned for it`, {
      issuer: entry.did,
      verificationMethod,
    });
  }

  async function checkIssuer(credential: IssuedCredentialLike): Promise<Result<TrustedRegistrar>> {
    const issuer = issuerOf(credential);
    const types = [credential.type].flat();
    const entry = byDid.get(issuer);
    if (entry === undefined || !acceptedType(entry, types)) {
      const why = entry === undefined ? 'is not in this connector\'s trust list' : `is not trusted for ${types.join(', ')}`;
      return fail('SOV_TRUST_ISSUER_NOT_TRUSTED', `issuer ${issuer} ${why}`, { issuer });
    }
    for (const proof of [credential.proof].flat()) {
      const key = await checkKey(entry, proof.verificationMethod);
      if (!key.ok) return key;
    }
    return ok(entry);
  }

  return {
    entries: options.entries,
    checkIssuer,
    async isTrustedIssuer(issuer, credentialTypes, verificationMethod) {
      const entry = byDid.get(issuer);
      if (entry === undefined || !acceptedType(entry, credentialTypes)) return false;
      return verificationMethod === undefined || (await checkKey(entry, verificationMethod)).ok;
    },
  };
}

function keepPinned(doc: DidDocumentLike, pinned: readonly string[]): DidDocumentLike {
  const absolute = (id: string): string => (id.startsWith('#') ? `${doc.id}${id}` : id);
  const allowed = new Set((doc.verificationMethod ?? []).filter((vm) => pinned.includes(vm.publicKeyMultibase ?? '')).map((vm) => absolute(vm.id)));
  const keep = (entry: unknown): boolean => {
    if (typeof entry === 'string') return allowed.has(absolute(entry));
    const method = entry as VerificationMethodLike;
    return pinned.includes(method.publicKeyMultibase ?? '');
  };
  const filtered: DidDocumentLike = { ...doc, verificationMethod: (doc.verificationMethod ?? []).filter((vm) => allowed.has(absolute(vm.id))) };
  for (const relationship of ['authentication', 'assertionMethod', 'capabilityInvocation', 'capabilityDelegation'] as const) {
    const listed = doc[relationship];
    if (Array.isArray(listed)) filtered[relationship] = listed.filter(keep);
  }
  return filtered;
}

/**
 * A resolver that serves trust-listed registrars' DID documents with only their pinned keys, so
 * nothing signed by an unpinned key of a registrar (a membership credential, a status list
 * that would "un-revoke" a member) can verify, whatever the host serves. Other DIDs pass through.
 */
export function pinnedDidResolver(inner: Resolvable, entries: readonly TrustedRegistrar[]): Resolvable {
  const pins = new Map(entries.map((entry) => [entry.did, entry.keys]));
  return {
    async resolve(didUrl, resolveOptions): Promise<DIDResolutionResult> {
      const result = await inner.resolve(didUrl, resolveOptions);
      const did = didUrl.split(/[#?]/)[0] ?? didUrl;
      const pinned = pins.get(did);
      if (pinned === undefined || result.didDocument === null) return result;
      const filtered = keepPinned(result.didDocument as unknown as DidDocumentLike, pinned);
      return { ...result, didDocument: filtered as unknown as NonNullable<DIDResolutionResult['didDocument']> };
    },
  };
}
