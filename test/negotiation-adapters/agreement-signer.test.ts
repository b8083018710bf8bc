/**
 * The AgreementSigner adapter with two real file kms instances (minimum Argon2 cost) and DID
 * documents built from their keys: a proof verifies with the signer's DID document, and an
 * altered agreement, an altered proof, the wrong signer, a key outside assertionMethod or an
 * unresolvable DID is refused with the reason.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../src/clock/index.js';
import type { OdrlAgreement } from '../../src/dsp/index.js';
import { fail, ok } from '../../src/errors/index.js';
import { buildDidDocument, type DidDocument } from '../../src/identity/index.js';
import { createFileKms, MINIMUM_KDF_PARAMS, verifySignature, type FileKms } from '../../src/kms/index.js';
import { createAgreementSigner } from '../../src/negotiation-adapters/index.js';

const UK = 'did:web:uk.example';
const CA = 'did:web:ca.example';
const agreement: OdrlAgreement = {
  '@id': 'urn:uuid:agreement-1',
  '@type': 'Agreement',
  target: 'urn:uuid:dataset-1',
  assigner: UK,
  assignee: CA,
  timestamp: '2026-01-01T00:00:00.000Z',
  permission: [{ action: 'use', constraint: [{ leftOperand: 'count', operator: 'lteq', rightOperand: 5 }] }],
};

describe('AgreementSigner over kms and DID documents', () => {
  const clock = new SimulatedClock();
  const dir = mkdtempSync(join(tmpdir(), 'sov-agreement-signer-'));
  const documents = new Map<string, DidDocument>();
  let ukKms: FileKms;
  let caKms: FileKms;

  const openKms = async (name: string) => {
    const opened = await createFileKms({ path: join(dir, `${name}.sealed`), passphrase: `${name} passphrase`, clock, kdf: MINIMUM_KDF_PARAMS });
    if (!opened.ok) throw new Error(opened.detail);
    return opened.value;
  };
  const publish = (did: string, kms: FileKms) =>
    documents.set(did, buildDidDocument({ did, signingKeys: kms.verificationKeys(), agreementKeys: kms.agreementKeys(), dspEndpoint: 'https://x/dsp', credentialEndpoint: 'https://x/cs' }));
  const signerFor = (did: string, kms: FileKms) =>
    createAgreementSigner({
      kms,
      verifySignature,
      did,
      clock,
      resolveDid: async (target) => {
        const document = documents.get(target);
        return document === undefined ? fail('SOV_IDENTITY_DID_UNRESOLVABLE', `no DID document for ${target}`) : ok(structuredClone(document));
      },
    });

  beforeAll(async () => {
    ukKms = await openKms('uk');
    caKms = await openKms('ca');
    publish(UK, ukKms);
    publish(CA, caKms);
  });
  afterAll(() => {
    ukKms.close();
    caKms.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs with the active kms key and the counterparty verifies it against the signer DID document', async () => {
    const proof = await signerFor(UK, ukKms).sign(agreement);
    expect(proof).toMatchObject({ type: 'SovAgreementSignature', verificationMethod: `${UK}#${ukKms.activeSigningKey().keyId}`, created: '2026-01-01T00:00:00.000Z' });
    // Key order and object identity do not matter: the canonical (JCS) form is signed.
    const reordered = Object.fromEntries(Object.entries(structuredClone(agreement)).reverse()) as OdrlAgreement;
    expect(await signerFor(CA, caKms).verify(reordered, proof, UK)).toEqual({ verified: true, errors: [] });
  });

  it('refuses an agreement altered after signing', async () => {
    const proof = await signerFor(UK, ukKms).sign(agreement);
    const tampered: OdrlAgreement = { ...agreement, permission: [{ action: 'use', constraint: [{ leftOperand: 'count', operator: 'lteq', rightOperand: 500 }] }] };
    const check = await signerFor(CA, caKms).verify(tampered, proof, UK);
    expect(check.verified).toBe(false);
    expect(check.errors[0]).toMatch(/does not verify/);
    expect((await signerFor(CA, caKms).verify({ ...agreement, assignee: 'did:web:au.example' }, proof, UK)).verified).toBe(false);
  });

  it('refuses an altered proof, a malformed proof and a proof by another party', async () => {
    const proof = await signerFor(UK, ukKms).sign(agreement);
    const verifier = signerFor(CA, caKms);
    expect((await verifier.verify(agreement, { ...proof, created: '2027-01-01T00:00:00.000Z' }, UK)).verified).toBe(false);
    const malformed = await verifier.verify(agreement, { ...proof, signatureValue: 'abc' }, UK);
    expect(malformed).toMatchObject({ verified: false, errors: [expect.stringContaining('signatureValue')] });
    const caProof = await signerFor(CA, caKms).sign(agreement);
    expect(await verifier.verify(agreement, caProof, UK)).toEqual({ verified: false, errors: [`signed with a key of ${CA}, expected ${UK}`] });
    // The UK's key id under the CA's DID: the CA document's key of that id does not match.
    const forged = { ...proof, verificationMethod: `${CA}#${ukKms.activeSigningKey().keyId}` };
    expect((await verifier.verify(agreement, forged, CA)).verified).toBe(false);
  });

  it('refuses a key the DID document does not list for assertions, and an unresolvable signer', async () => {
    const proof = await signerFor(UK, ukKms).sign(agreement);
    const verifier = signerFor(CA, caKms);
    const original = documents.get(UK)!;
    documents.set(UK, { ...original, assertionMethod: [] });
    expect((await verifier.verify(agreement, proof, UK)).errors[0]).toMatch(/not an assertion key/);
    documents.delete(UK);
    expect((await verifier.verify(agreement, proof, UK)).errors[0]).toMatch(/cannot resolve did:web:uk.example/);
    documents.set(UK, original);
  });

  it('keeps verifying agreements signed before a key rotation', async () => {
    const before = await signerFor(UK, ukKms).sign(agreement);
    await ukKms.rotate('signing');
    publish(UK, ukKms);
    const after = await signerFor(UK, ukKms).sign(agreement);
    expect(after.verificationMethod).not.toBe(before.verificationMethod);
    const verifier = signerFor(CA, caKms);
    expect((await verifier.verify(agreement, before, UK)).verified).toBe(true);
    expect((await verifier.verify(agreement, after, UK)).verified).toBe(true);
  });
});
