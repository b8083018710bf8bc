import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { beforeEach, describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../src/clock/index.js';
import { unwrap } from '../../src/errors/index.js';
import {
  createKmsSigner,
  didToUrl,
  issueCredential,
  SOV_CONTEXT_V1,
  VC_V2_CONTEXT,
  verifyCredential,
  type CredentialVerification,
  type VerifiableCredential,
} from '../../src/identity/index.js';
import { independentLoader, independentSuite } from './support/independent-verifier.js';
import { createParty, FakeWeb, loaderFor, publish, type Party } from './support/web.js';

const T0 = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;

let clock: SimulatedClock;
let web: FakeWeb;
let registrar: Party;
let member: Party;

function membership(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    '@context': [VC_V2_CONTEXT, SOV_CONTEXT_V1],
    id: 'urn:uuid:7d3c0a4e-0000-4000-8000-000000000001',
    type: ['VerifiableCredential', 'FederationMembershipCredential'],
    issuer: registrar.did,
    validFrom: new Date(T0).toISOString(),
    validUntil: new Date(T0 + 365 * 24 * HOUR).toISOString(),
    credentialSubject: { id: member.did, legalName: 'Office for National Statistics', jurisdiction: 'UK', roles: ['provider'] },
    ...overrides,
  };
}

async function issued(overrides: Record<string, unknown> = {}): Promise<VerifiableCredential> {
  return unwrap(await issueCredential({ credential: membership(overrides), signer: registrar.signer, documentLoader: loaderFor(web, clock), clock }));
}

const verify = (credential: unknown): Promise<CredentialVerification> => verifyCredential(credential, { documentLoader: loaderFor(web, clock), clock });
const codes = (result: CredentialVerification): string[] => result.errors.map((e) => e.code);

beforeEach(async () => {
  clock = new SimulatedClock(T0);
  web = new FakeWeb();
  registrar = await createParty(web, clock, 'http://127.0.0.1:7100');
  member = await createParty(web, clock, 'http://127.0.0.1:7101');
});

describe('interoperability with @digitalbazaar/vc used directly', () => {
  it('a credential we issue verifies with the library and its own verifier setup', async () => {
    const credential = await issued();
    expect(credential.proof).toMatchObject({
      type: 'DataIntegrityProof',
      cryptosuite: 'eddsa-rdfc-2022',
      proofPurpose: 'assertionMethod',
      verificationMethod: `${registrar.did}#sig-1`,
      created: '2026-01-01T00:00:00Z',
    });
    const result = await vc.verifyCredential({ credential, suite: independentSuite(), documentLoader: independentLoader(web), now: new Date(T0) });
    expect(result.error).toBeUndefined();
    expect(result.verified).toBe(true);
  });

  it('a credential issued directly with the library verifies with ours', async () => {
    const did = 'did:web:registry.example';
    const key = await Ed25519Multikey.generate({ id: `${did}#key-1`, controller: did });
    const method = await key.export({ publicKey: true, includeContext: false });
    web.documents.set(unwrap(didToUrl(did)), {
      '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
      id: did,
      verificationMethod: [method],
      assertionMethod: [key.id],
    });
    const credential = await vc.issue({
      credential: { ...membership(), issuer: did },
      suite: new DataIntegrityProof({ signer: key.signer(), cryptosuite: eddsaRdfc2022 }),
      documentLoader: independentLoader(web),
    });
    const result = await verify(credential);
    expect(result.errors).toEqual([]);
    expect(result).toMatchObject({ verified: true, issuer: did });
  });
});

describe('credentials refused with a clear reason', () => {
  it('tampered: one claim changed after signing', async () => {
    const credential = await issued();
    const tampered = { ...credential, credentialSubject: { ...credential.credentialSubject, jurisdiction: 'EU' } };
    const result = await verify(tampered);
    expect(codes(result)).toEqual(['SOV_IDENTITY_PROOF_INVALID']);
    expect(result.errors[0]?.detail).toMatch(/changed after signing/);
  });

  it('wrong issuer key: signed by another party in the issuer\'s name', async () => {
    const forged = await vc.issue({
      credential: membership(),
      suite: new DataIntegrityProof({ signer: member.signer, cryptosuite: eddsaRdfc2022 }),
      documentLoader: independentLoader(web),
    });
    const result = await verify(forged);
    expect(codes(result)).toContain('SOV_IDENTITY_KEY_NOT_AUTHORIZED');
    expect(result.errors[0]?.detail).toContain(`${member.did}#sig-1`);
  });

  it('wrong issuer key: a key the issuer lists but not under assertionMethod', async () => {
    const credential = await issued();
    const doc = web.documents.get(unwrap(didToUrl(registrar.did))) as Record<string, unknown>;
    web.documents.set(unwrap(didToUrl(registrar.did)), { ...doc, assertionMethod: [] });
    const result = await verify(credential);
    expect(codes(result)).toEqual(['SOV_IDENTITY_KEY_NOT_AUTHORIZED']);
    expect(result.errors[0]?.detail).toMatch(/not authorized by controller/);
  });

  it('wrong issuer key: an outsider key claiming the issuer\'s key id', async () => {
    const outsider = await Ed25519Multikey.generate({ id: `${registrar.did}#sig-1`, controller: registrar.did });
    const forged = await vc.issue({
      credential: membership(),
      suite: new DataIntegrityProof({ signer: outsider.signer(), cryptosuite: eddsaRdfc2022 }),
      documentLoader: independentLoader(web),
    });
    expect(codes(await verify(forged))).toEqual(['SOV_IDENTITY_PROOF_INVALID']);
  });

  it('expired: past validUntil (beyond the 300 s skew)', async () => {
    const credential = await issued({ validUntil: new Date(T0 + HOUR).toISOString() });
    clock.set(T0 + HOUR + 4 * 60_000);
    expect((await verify(credential)).verified).toBe(true);
    clock.set(T0 + HOUR + 6 * 60_000);
    const result = await verify(credential);
    expect(codes(result)).toEqual(['SOV_IDENTITY_CREDENTIAL_EXPIRED']);
    expect(result.errors[0]?.detail).toContain('2026-01-01T01:00:00.000Z');
  });

  it('not yet valid: before validFrom', async () => {
    const credential = await issued({ validFrom: new Date(T0 + 24 * HOUR).toISOString() });
    const result = await verify(credential);
    expect(codes(result)).toEqual(['SOV_IDENTITY_CREDENTIAL_NOT_YET_VALID']);
  });

  it('unknown JSON-LD context: refused, named, and never fetched', async () => {
    const unknown = 'https://contexts.example/unknown/v1';
    const refused = await issueCredential({
      credential: membership({ '@context': [VC_V2_CONTEXT, unknown] }),
      signer: registrar.signer,
      documentLoader: loaderFor(web, clock),
      clock,
    });
    expect(refused).toMatchObject({ ok: false, code: 'SOV_IDENTITY_UNKNOWN_CONTEXT' });
    const credential = await issued();
    const result = await verify({ ...credential, '@context': [VC_V2_CONTEXT, SOV_CONTEXT_V1, unknown] });
    expect(codes(result)).toEqual(['SOV_IDENTITY_UNKNOWN_CONTEXT']);
    expect(result.errors[0]?.detail).toContain(unknown);
    expect(web.requested.some((url) => url.includes('contexts.example'))).toBe(false);
  });

  it('issuer not trusted: the trust-list callback says no', async () => {
    const credential = await issued();
    const asked: Array<[string, string[], string | undefined]> = [];
    const result = await verifyCredential(credential, {
      documentLoader: loaderFor(web, clock),
      clock,
      isTrustedIssuer: (issuer, types, verificationMethod) => {
        asked.push([issuer, types, verificationMethod]);
        return false;
      },
    });
    expect(codes(result)).toEqual(['SOV_IDENTITY_ISSUER_NOT_TRUSTED']);
    expect(asked).toEqual([[registrar.did, ['VerifiableCredential', 'FederationMembershipCredential'], `${registrar.did}#sig-1`]]);
  });

  it('VC Data Model 1.1 credentials are refused as malformed (2.0 only)', async () => {
    const credential = await issued();
    const result = await verify({ ...credential, '@context': ['https://www.w3.org/2018/credentials/v1'] });
    expect(codes(result)).toEqual(['SOV_IDENTITY_CREDENTIAL_MALFORMED']);
    expect(result.errors[0]?.detail).toMatch(/VC Data Model 2.0/);
  });
});

describe('key rotation', () => {
  it('a credential signed before a rotation still verifies; new ones use the new key', async () => {
    const before = await issued();
    await registrar.kms.rotate('signing');
    publish(web, registrar.did, registrar.kms, registrar.baseUrl);
    expect((await verify(before)).verified).toBe(true);
    const signer = createKmsSigner({ kms: registrar.kms, did: registrar.did });
    const after = unwrap(await issueCredential({ credential: membership(), signer, documentLoader: loaderFor(web, clock), clock }));
    expect(after.proof).toMatchObject({ verificationMethod: `${registrar.did}#sig-2` });
    expect((await verify(after)).verified).toBe(true);
  });
});
