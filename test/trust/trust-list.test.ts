import type { DIDResolutionResult, Resolvable } from 'did-resolver';
import { describe, expect, it } from 'vitest';
import { createTrustList, pinnedDidResolver, type TrustedRegistrar } from '../../src/trust/index.js';

const REGISTRAR = 'did:web:registrar.uk.example';
const PINNED = 'z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
const ROGUE = 'z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG';

const registrarDoc = {
  '@context': ['https://www.w3.org/ns/did/v1'],
  id: REGISTRAR,
  verificationMethod: [
    { id: `${REGISTRAR}#sig-1`, type: 'Multikey', controller: REGISTRAR, publicKeyMultibase: PINNED },
    { id: `${REGISTRAR}#sig-2`, type: 'Multikey', controller: REGISTRAR, publicKeyMultibase: ROGUE },
  ],
  assertionMethod: [`${REGISTRAR}#sig-1`, `${REGISTRAR}#sig-2`],
  authentication: [`${REGISTRAR}#sig-2`],
};

const fakeWeb: Resolvable = {
  resolve: async (did): Promise<DIDResolutionResult> => ({
    didResolutionMetadata: {},
    didDocument: (did.startsWith(REGISTRAR) ? registrarDoc : { ...registrarDoc, id: did }) as unknown as DIDResolutionResult['didDocument'],
    didDocumentMetadata: {},
  }),
};

const entries: TrustedRegistrar[] = [{ did: REGISTRAR, keys: [PINNED], credentialTypes: ['FederationMembershipCredential'] }];
const membership = (verificationMethod: string, issuer = REGISTRAR) => ({
  issuer,
  type: ['VerifiableCredential', 'FederationMembershipCredential'],
  proof: { verificationMethod },
});

describe('trust list', () => {
  const list = createTrustList({ entries, didResolver: fakeWeb });

  it('trusts a listed registrar for its accepted types, signed with a pinned key', async () => {
    expect(await list.isTrustedIssuer(REGISTRAR, ['VerifiableCredential', 'FederationMembershipCredential'], `${REGISTRAR}#sig-1`)).toBe(true);
    expect((await list.checkIssuer(membership(`${REGISTRAR}#sig-1`))).ok).toBe(true);
  });

  it('refuses an unlisted issuer and a type the registrar is not trusted for', async () => {
    expect(await list.isTrustedIssuer('did:web:registrar.other.example', ['FederationMembershipCredential'])).toBe(false);
    expect(await list.isTrustedIssuer(REGISTRAR, ['VerifiableCredential', 'ParticipantCredential'])).toBe(false);
    const unlisted = await list.checkIssuer(membership('did:web:registrar.other.example#sig-1', 'did:web:registrar.other.example'));
    expect(!unlisted.ok && unlisted.code).toBe('SOV_TRUST_ISSUER_NOT_TRUSTED');
  });

  it('refuses a key the registrar document lists but this connector did not pin', async () => {
    expect(await list.isTrustedIssuer(REGISTRAR, ['FederationMembershipCredential'], `${REGISTRAR}#sig-2`)).toBe(false);
    const rogue = await list.checkIssuer(membership(`${REGISTRAR}#sig-2`));
    expect(!rogue.ok && rogue.code).toBe('SOV_TRUST_ISSUER_KEY_NOT_PINNED');
  });

  it('serves registrar documents with their unpinned keys removed and other documents untouched', async () => {
    const resolver = pinnedDidResolver(fakeWeb, entries);
    const pinned = (await resolver.resolve(`${REGISTRAR}#sig-2`)).didDocument;
    expect(pinned?.verificationMethod?.map((vm) => vm.publicKeyMultibase)).toEqual([PINNED]);
    expect(pinned?.assertionMethod).toEqual([`${REGISTRAR}#sig-1`]);
    expect(pinned?.authentication).toEqual([]);
    const other = (await resolver.resolve('did:web:connector.example')).didDocument;
    expect(other?.verificationMethod).toHaveLength(2);
  });
});
